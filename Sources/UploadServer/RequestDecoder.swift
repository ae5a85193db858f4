import Foundation
import UploadModel

/// Decodes JSON request bodies and words decoding failures for people.
enum RequestDecoder {
    /// Decodes `T` from `data`, or throws a 400 naming the field that is wrong. A field of `T` given as
    /// `null` is refused too: an optional field is left out, never null (the API document says so).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let value: T
        do {
            value = try UploadJSON.decoder().decode(type, from: data)
        } catch {
            throw UploadError(.badRequest, describe(error))
        }
        // Most bodies hold no null at all: only those are parsed a second time.
        guard data.range(of: Data("null".utf8)) != nil else { return value }
        var mirror = Mirror(reflecting: value)
        // A body of several forms (an enum whose case holds the request) names its fields in the case.
        if mirror.displayStyle == .enum, let payload = mirror.children.first?.value {
            mirror = Mirror(reflecting: payload)
        }
        let fields = Set(mirror.children.compactMap(\.label))
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let null = object.keys.sorted().first(where: { fields.contains($0) && object[$0] is NSNull })
        {
            throw UploadError(.badRequest, "field '\(null)' must not be null; leave it out instead")
        }
        return value
    }

    /// Decodes `T` from `data` as ``decode(_:from:)`` does, leaving out the top-level fields `ignored`
    /// first: fields `T` shares with other actions that this action does not take, which the API
    /// document lets through as extra properties of any type.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, ignoring ignored: Set<String>) throws -> T {
        guard var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              !ignored.isDisjoint(with: object.keys)
        else { return try decode(type, from: data) }
        for key in ignored { object[key] = nil }
        return try decode(type, from: try JSONSerialization.data(withJSONObject: object))
    }

    /// A one-line explanation of a decoding error.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "body is not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is missing"
        case .typeMismatch(let type, let context):
            return "field '\(path(context))' must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context))' must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            let where_ = path(context)
            return where_.isEmpty ? "body is not valid JSON, or a number in it is out of range" : "field '\(where_)': \(context.debugDescription)"
        @unknown default:
            return "body does not match the request format"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [Int].Type: "an array of integers"
        default: "of type \(type)"
        }
    }
}
