import CChecksum
import Foundation

/// CRC-32C (Castagnoli), the checksum S3 carries as `x-amz-checksum-crc32c` (the four bytes of the
/// value, big-endian, in base64) and upman uses for every part by default.
///
/// Runs on the CPU's CRC32 instruction where there is one (SSE4.2, ARMv8 CRC: several GB/s), so
/// it costs far less than the MD5 it replaces. Checksums of consecutive pieces combine into the
/// checksum of the whole without reading the bytes again (``combine(_:_:length:)``), which is how
/// S3's "full object" checksum of a multipart upload is formed.
public struct CRC32C: Sendable, Hashable {
    private var register: UInt32 = 0xFFFF_FFFF

    /// A new, empty checksum.
    public init() {}

    /// A checksum that continues from `value`, the checksum of the bytes before (as zlib's
    /// `crc32(crc, buf, len)` continues), so a stream's checksum can be kept across requests.
    public init(resuming value: UInt32) {
        register = value ^ 0xFFFF_FFFF
    }

    /// Adds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        register = upman_crc32c_update(register, base, bytes.count)
    }

    /// Adds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The checksum of everything added.
    public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The checksum as four big-endian bytes.
    public var bytes: [UInt8] { Self.bytes(value) }

    /// The checksum as S3 writes it: base64 of the four big-endian bytes.
    public var base64: String { Self.base64(value) }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }

    /// Whether the CRC32 instruction computes it on this CPU.
    public static var usesHardware: Bool { upman_crc32c_hardware() != 0 }

    /// The four big-endian bytes of a checksum value.
    public static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Base64 of the four big-endian bytes (`x-amz-checksum-crc32c`).
    public static func base64(_ value: UInt32) -> String {
        Data(bytes(value)).base64EncodedString()
    }

    /// The value of a base64 `x-amz-checksum-crc32c`; nil unless it is exactly four bytes in
    /// canonical base64 (eight characters ending `==`, unused bits zero), so each value has one
    /// spelling.
    public static func value(base64 text: String) -> UInt32? {
        guard text.utf8.count == 8, let data = Data(base64Encoded: text), data.count == 4 else { return nil }
        let value = data.reduce(0) { $0 << 8 | UInt32($1) }
        return base64(value) == text ? value : nil
    }

    /// The checksum of A followed by B, from the checksums of A and of B and B's length in bytes,
    /// without the bytes: crc(A‖B) = crc(A)·x^(8·len(B)) mod P ⊕ crc(B) in GF(2) (the CRC is
    /// linear; its pre- and post-conditioning cancel out). S3 forms a multipart object's "full
    /// object" CRC this way.
    public static func combine(_ first: UInt32, _ second: UInt32, length: Int64) -> UInt32 {
        guard length > 0 else { return first }
        return multiply(powerOfX(bits: UInt64(length) * 8), first) ^ second
    }

    /// The reflected polynomial of CRC-32C.
    private static let polynomial: UInt32 = 0x82F6_3B78

    /// a·b mod P, both in the reflected bit order (bit 31 holds x⁰).
    private static func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var product: UInt32 = 0
        var b = b
        var mask: UInt32 = 1 << 31
        while mask != 0 {
            if a & mask != 0 { product ^= b }
            b = b & 1 != 0 ? (b >> 1) ^ polynomial : b >> 1
            mask >>= 1
        }
        return product
    }

    /// x^(2^k) mod P for k = 0…63 (x¹ is bit 30 in the reflected order).
    private static let powersOfTwo: [UInt32] = {
        var table: [UInt32] = [1 << 30]
        for _ in 1..<64 { table.append(multiply(table.last!, table.last!)) }
        return table
    }()

    /// x^n mod P.
    private static func powerOfX(bits n: UInt64) -> UInt32 {
        var result: UInt32 = 1 << 31
        var n = n
        var k = 0
        while n != 0 {
            if n & 1 != 0 { result = multiply(powersOfTwo[k], result) }
            n >>= 1
            k += 1
        }
        return result
    }
}
