/// CRC-32C (Castagnoli), as S3's `x-amz-checksum-crc32c` carries it (big-endian, base64).
public struct CRC32C: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }
    private var crc: UInt32 = 0xFFFF_FFFF

    /// A new, empty checksum.
    public init() {}

    /// Adds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = self.crc
        for byte in bytes {
            crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        self.crc = crc
    }

    /// The checksum of everything added.
    public var value: UInt32 { crc ^ 0xFFFF_FFFF }

    /// The checksum as four big-endian bytes.
    public var bytes: [UInt8] {
        let v = value
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
