import Foundation

/// The JSON conventions of upman's wire format: camelCase keys, ISO-8601 UTC times with milliseconds.
public enum UploadJSON {
    /// An encoder with upman's conventions and sorted keys (stable output).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    /// A decoder with upman's conventions.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an ISO-8601 time: \(text)")
            }
            return date
        }
        return decoder
    }

    /// Encodes a value to a UTF-8 string.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try shared.encode(value), as: UTF8.self)
    }

    /// One configured encoder, reused (JSONEncoder is thread-safe once configured).
    private static let shared = encoder()
}
