/// A checksum of a whole object as a session records it (`{"algorithm":"crc32c","value":BASE64}`).
///
/// For a multipart upload it is S3's "full object" checksum: the CRC of all the bytes in order,
/// combined from the parts' CRCs (``CRC32C/combine(_:_:length:)``), not a checksum of checksums.
public struct ObjectChecksum: Codable, Sendable, Hashable {
    /// The algorithm's name as S3 spells it in lower case: `crc32c`.
    public var algorithm: String
    /// The checksum in S3's form: base64 of its big-endian bytes.
    public var value: String

    /// The algorithm upman uses: CRC-32C.
    public static let crc32c = "crc32c"

    /// Creates a checksum record.
    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case algorithm, value }

    /// Decodes and checks the shape: algorithm `crc32c` and a value that is the base64 of four
    /// bytes; anything else is a decoding error (answered 400 by the server).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let algorithm = try container.decode(String.self, forKey: .algorithm)
        let value = try container.decode(String.self, forKey: .value)
        guard algorithm == Self.crc32c else {
            throw DecodingError.dataCorruptedError(forKey: .algorithm, in: container, debugDescription: "must be crc32c")
        }
        guard CRC32C.value(base64: value) != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .value, in: container, debugDescription: "must be the base64 of the 4-byte big-endian CRC-32C")
        }
        self.init(algorithm: algorithm, value: value)
    }

    /// A CRC-32C value.
    public init(crc32c: UInt32) {
        self.init(algorithm: Self.crc32c, value: CRC32C.base64(crc32c))
    }

    /// The CRC-32C value, when this is a well-formed CRC-32C checksum.
    public var crc32cValue: UInt32? {
        algorithm.lowercased() == Self.crc32c ? CRC32C.value(base64: value) : nil
    }

    /// The full-object checksum of parts given in order as (CRC-32C, size in bytes); nil when there
    /// are none.
    public static func combining(_ parts: [(crc: UInt32, size: Int64)]) -> ObjectChecksum? {
        guard var total = parts.first?.crc else { return nil }
        for part in parts.dropFirst() { total = CRC32C.combine(total, part.crc, length: part.size) }
        return ObjectChecksum(crc32c: total)
    }
}
