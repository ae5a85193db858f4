/// Lowercase hexadecimal text of bytes (digests, MACs, ETags), two digits per byte, written from a
/// table: on a request's hot path `String(format: "%02x")` per byte cost more than the SHA-256
/// it printed.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, e.g. `[0xde, 0xad]` → `"dead"`.
    public static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
