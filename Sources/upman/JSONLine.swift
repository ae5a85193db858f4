import Foundation

/// One JSON object on one line, keys sorted: the shape of every line `upman put --json` writes.
enum JSONLine {
    /// `object` as one line; `{}` if it cannot be encoded.
    static func encode(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
