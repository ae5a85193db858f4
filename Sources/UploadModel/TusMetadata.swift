import Foundation

/// tus's `Upload-Metadata` header: comma-separated pairs of a key and an optional base64 value
/// (tus 1.0.0, creation extension). Keys are non-empty ASCII without spaces or commas, and unique.
public struct TusMetadata: Sendable, Hashable {
    /// The pairs in the order given; a key without a value maps to an empty string.
    public private(set) var pairs: [(key: String, value: String)] = []

    /// Parses the header; nil and empty give no pairs.
    ///
    /// - Throws: `badRequest` naming what is wrong: a key that is empty, not ASCII or repeated, a
    ///   value that is not base64, or a decoded value that is not UTF-8.
    public init(header: String?) throws(UploadError) {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        var seen = Set<String>()
        for element in header.split(separator: ",", omittingEmptySubsequences: false) {
            let words = element.split(separator: " ", omittingEmptySubsequences: true)
            guard let key = words.first.map(String.init), words.count <= 2 else {
                throw UploadError(.badRequest, "Upload-Metadata: each pair is a key and an optional base64 value, separated by commas")
            }
            guard key.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "," }) else {
                throw UploadError(.badRequest, "Upload-Metadata: key \(key.debugDescription) must be ASCII without spaces")
            }
            guard seen.insert(key).inserted else {
                throw UploadError(.badRequest, "Upload-Metadata: key \(key.debugDescription) appears twice")
            }
            var value = ""
            if words.count == 2 {
                guard let data = Data(base64Encoded: String(words[1])) else {
                    throw UploadError(.badRequest, "Upload-Metadata: the value of \(key.debugDescription) is not base64")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw UploadError(.badRequest, "Upload-Metadata: the value of \(key.debugDescription) is not UTF-8 text")
                }
                value = text
            }
            pairs.append((key, value))
        }
    }

    /// The value of the first key of `names` that is present and not empty.
    public func value(_ names: String...) -> String? {
        for name in names {
            if let pair = pairs.first(where: { $0.key == name }), !pair.value.isEmpty { return pair.value }
        }
        return nil
    }

    /// Equal when the same pairs come in the same order.
    public static func == (lhs: TusMetadata, rhs: TusMetadata) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.key == $1.key && $0.value == $1.value }
    }

    /// Hashes the pairs in order.
    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}
