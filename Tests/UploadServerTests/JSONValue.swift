import Foundation

/// A JSON value as it was on the wire, keeping integers apart from other numbers and `true` apart from 1.
enum JSONValue: Equatable, Sendable, Decodable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent that fits 64 bits.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Parses `data` as one JSON value.
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes whichever kind of value the decoder holds.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value of a YAML or JSON literal as `AnyCodable` holds it (`String`, `Bool`, `Int`, `Double`,
    /// arrays, dictionaries, `NSNull`), or nil for anything else.
    init?(literal: Any) {
        switch literal {
        case is NSNull: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .integer(Int64(value))
        case let value as UInt: self = .integer(Int64(value))
        case let value as Double: self = .number(value)
        case let value as String: self = .string(value)
        case let values as [Any]:
            var array: [JSONValue] = []
            for value in values {
                guard let element = JSONValue(literal: value) else { return nil }
                array.append(element)
            }
            self = .array(array)
        case let values as [String: Any]:
            var object: [String: JSONValue] = [:]
            for (key, value) in values {
                guard let element = JSONValue(literal: value) else { return nil }
                object[key] = element
            }
            self = .object(object)
        default: return nil
        }
    }

    /// The JSON type's name, as JSON Schema spells it.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value as a number, if it is one.
    var numeric: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// Short JSON-like text for messages (long strings and containers are abridged).
    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return value.count > 60 ? "\"\(value.prefix(57))...\"" : "\"\(value)\""
        case .array(let values): return "[\(values.count) items]"
        case .object(let members): return "{" + members.keys.sorted().prefix(6).joined(separator: ", ") + (members.count > 6 ? ", ..." : "") + "}"
        }
    }
}
