import Foundation
import Testing
import UploadModel

/// CRC-32C as S3 defines it, on the CPU's instruction, and the combination of parts' CRCs into the
/// whole object's.
@Suite struct CRC32CTests {
    @Test func knownVectors() {
        // RFC 3720 appendix B.4 and the usual check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // S3's form: base64 of the big-endian bytes.
        #expect(CRC32C.base64(0xE306_9283) == "4waSgw==")
        #expect(CRC32C.value(base64: "4waSgw==") == 0xE306_9283)
        #expect(CRC32C.value(base64: "4waS") == nil)
        #expect(CRC32C.value(base64: "4waSgx==") == nil)  // unused bits set: not the canonical spelling
        #expect(CRC32C.value(base64: "FE6qiKs=") == nil)  // five bytes
        #expect(CRC32C.value(base64: "not base64") == nil)
    }

    @Test func everyLengthAndAlignmentAgreesWithTheBitwiseDefinition() {
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                #expect(CRC32C.checksum(slice) == Self.bitwise(slice))
            }
        }
    }

    @Test func updatesInPiecesEqualOneUpdate() {
        var generator = SeededGenerator(seed: 11)
        let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var crc = CRC32C()
        var position = 0
        while position < bytes.count {
            let count = Int.random(in: 0...700, using: &generator)
            crc.update(bytes[position..<min(bytes.count, position + count)])
            position += count
        }
        #expect(crc.value == CRC32C.checksum(bytes))
    }

    @Test func combiningPartsGivesTheWholeObjectsChecksum() {
        var generator = SeededGenerator(seed: 3)
        let bytes = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let whole = CRC32C.checksum(bytes)
        for _ in 0..<50 {
            var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: 0...bytes.count, using: &generator) }
            cuts = ([0] + cuts + [bytes.count]).sorted()
            let parts = zip(cuts, cuts.dropFirst()).map { (start, end) in
                (crc: CRC32C.checksum(bytes[start..<end]), size: Int64(end - start))
            }
            #expect(ObjectChecksum.combining(parts)?.crc32cValue == whole)
        }
        #expect(CRC32C.combine(0x1234_5678, 0, length: 0) == 0x1234_5678)
        #expect(ObjectChecksum.combining([]) == nil)
    }

    @Test func combiningWorksForPartsOfGigabytes() {
        // 1 GiB of zeros: its CRC follows from combining two 512 MiB halves, which in turn follow
        // from the 1 MiB CRC by repeated doubling; no bytes of that size are ever made.
        let mebibyte = [UInt8](repeating: 0, count: 1 << 20)
        var crc = CRC32C.checksum(mebibyte)
        var size: Int64 = 1 << 20
        while size < 1 << 30 {
            crc = CRC32C.combine(crc, crc, length: size)
            size *= 2
        }
        var check = CRC32C.checksum(mebibyte)
        for _ in 1..<(1 << 10) { check = CRC32C.combine(check, CRC32C.checksum(mebibyte), length: 1 << 20) }
        #expect(crc == check)
    }

    @Test func theCPUInstructionIsUsedHere() {
        #if arch(x86_64) || arch(arm64)
        // Every x86-64 CPU since 2008 and every ARMv8.1 one has it; a fallback is still correct.
        if !CRC32C.usesHardware { print("note: CRC-32C runs on the table fallback on this CPU") }
        #endif
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// CRC-32C one bit at a time, straight from the definition (reflected polynomial 0x82F63B78).
    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
