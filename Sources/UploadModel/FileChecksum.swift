import Foundation

/// A checksum of a whole file as a client declares it: `{"algorithm":"crc32c","value":BASE64}`,
/// the value being the big-endian checksum in base64, as S3's `x-amz-checksum-*` headers carry it.
///
/// Decoding checks the shape only: a known algorithm and a value of its width (4 bytes for
/// `crc32c`, 8 for `crc64nvme`). A value of another shape is a decoding error, which the server
/// answers 400.
public struct FileChecksum: Codable, Sendable, Equatable {
    /// The algorithms accepted, with the width of their value in bytes.
    public static let widths: [String: Int] = ["crc32c": 4, "crc64nvme": 8]

    /// `crc32c` or `crc64nvme`.
    public var algorithm: String
    /// The checksum, base64 of its big-endian bytes.
    public var value: String

    /// Creates a checksum; `value` is the base64 of the checksum's bytes.
    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case algorithm, value }

    /// Decodes and checks the shape (see the type's documentation).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decode(String.self, forKey: .algorithm)
        value = try container.decode(String.self, forKey: .value)
        guard let width = Self.widths[algorithm] else {
            throw DecodingError.dataCorruptedError(
                forKey: .algorithm, in: container,
                debugDescription: "must be one of \(Self.widths.keys.sorted().joined(separator: ", "))")
        }
        guard let bytes = Data(base64Encoded: value), bytes.count == width else {
            throw DecodingError.dataCorruptedError(
                forKey: .value, in: container, debugDescription: "must be the base64 of the \(width)-byte \(algorithm)")
        }
    }
}
