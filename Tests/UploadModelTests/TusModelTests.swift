import Foundation
import Testing
@testable import UploadModel

/// The pure parts of tus: `Upload-Metadata`, CRC-32 (the `crc32` checksum algorithm), a CRC-32C
/// continued across requests, and the offset a tus upload answers.
@Suite struct TusModelTests {
    @Test func metadataPairsAreDecodedInOrder() throws {
        let header = "filename \(Data("报告 1.pdf".utf8).base64EncodedString()),is_confidential,group \(Data("g".utf8).base64EncodedString())"
        let metadata = try TusMetadata(header: header)
        #expect(metadata.pairs.map(\.key) == ["filename", "is_confidential", "group"])
        #expect(metadata.value("filename") == "报告 1.pdf")
        #expect(metadata.value("is_confidential") == nil, "a key without a value has no value to use")
        #expect(metadata.value("name", "filename") == "报告 1.pdf")
        #expect(try TusMetadata(header: nil).pairs.isEmpty)
        #expect(try TusMetadata(header: "  ").pairs.isEmpty)
    }

    @Test(arguments: ["a b c", "a !!!", "a YQ==,a Yg==", "ключ YQ==", ",", "a YQ==,", "x /w=="])
    func badMetadataIsRefused(_ header: String) {
        #expect(throws: UploadError.self) { try TusMetadata(header: header) }
    }

    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksumValue(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksumValue([]) == 0)
        var long = [UInt8](repeating: 0, count: 1000)
        for index in long.indices { long[index] = UInt8(truncatingIfNeeded: index &* 31) }
        var pieces = CRC32()
        pieces.update(long[0..<3])
        pieces.update(long[3..<517])
        pieces.update(long[517...])
        #expect(pieces.value == CRC32.checksumValue(long))
        #expect(CRC32.checksumValue(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test func crc32cContinuesFromAValue() {
        let bytes = Array("resumable uploads, one request after another".utf8)
        var first = CRC32C()
        first.update(bytes[0..<10])
        var continued = CRC32C(resuming: first.value)
        continued.update(bytes[10...])
        #expect(continued.value == CRC32C.checksum(bytes))
    }

    func part(_ number: Int, _ status: PartStatus, size: Int64 = 10) -> FilePart {
        var part = FilePart(sessionId: "ses_1", groupId: "grp_1", partNumber: number, offset: Int64(number - 1) * 10, size: size,
                            createdAt: Date(timeIntervalSince1970: 0), actedBy: nil)
        part.status = status
        return part
    }

    @Test func offsetIsTheUploadedPrefixPlusThePartialPart() {
        var tus = TusUpload(sessionId: "ses_1", metadata: nil, lengthDeferred: false, concat: nil)
        let parts = [part(1, .uploaded), part(2, .uploaded), part(3, .uploading), part(4, .pending, size: 5)]
        #expect(tus.offset(parts: parts) == 20)
        tus.partialPart = 3
        tus.partialBytes = 4
        #expect(tus.offset(parts: parts) == 24)
        // An operator's retry reopened part 2: the offset goes back to where it begins.
        let reopened = [part(1, .uploaded), part(2, .pending), part(3, .uploading), part(4, .pending, size: 5)]
        #expect(tus.offset(parts: reopened) == 10)
    }

    @Test func aDeferredOffsetCountsTheFilledParts() {
        var tus = TusUpload(sessionId: "ses_1", metadata: nil, lengthDeferred: true, concat: nil)
        tus.filledParts = [
            .init(partNumber: 2, size: 10, etag: "\"b\"", checksum: "B"), .init(partNumber: 1, size: 10, etag: "\"a\"", checksum: "A"),
        ]
        tus.partialPart = 3
        tus.partialBytes = 7
        #expect(tus.offset(parts: []) == 27)
        #expect(TusUpload(sessionId: "x", metadata: nil, lengthDeferred: false, concat: "final;/files/a").isFinal)
        #expect(TusUpload(sessionId: "x", metadata: nil, lengthDeferred: false, concat: "partial").isPartial)
    }
}
