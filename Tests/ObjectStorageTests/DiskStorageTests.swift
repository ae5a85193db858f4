import Crypto
import Foundation
import NIOCore
import Testing
import UploadModel
@testable import ObjectStorage

/// The embedded store: signed URLs, parts written at their offsets, checksums, completion.
@Suite struct DiskStorageTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-disk-\(UUID().uuidString)")

    func storage() throws -> DiskStorage {
        try DiskStorage(root: folder, baseURL: URL(string: "http://127.0.0.1:9")!, signer: URLSigner(secret: Array(repeating: 7, count: 32)))
    }

    func upload(size: Int64, partSize: Int64) -> StorageUpload {
        let parts = Int((size + partSize - 1) / partSize)
        return StorageUpload(sessionId: "ses_1", objectKey: "alice/grp/ses_1/file.bin",
                             plan: PartPlan(fileSize: size, method: .multipart, partSize: partSize, totalParts: parts))
    }

    @Test func partsLandAtTheirOffsetsAndCompletionIsARename() async throws {
        let disk = try storage()
        let upload = upload(size: 10, partSize: 4)
        _ = try await disk.begin(upload)
        var etags: [CompletedPart] = []
        for number in [3, 1, 2] {
            let part = upload.plan.part(number)!
            let writer = try await disk.partWriter(sessionId: "ses_1", part: part, checksums: PartChecksums())
            let bytes = (0..<part.size).map { UInt8(part.offset + $0) }
            try writer.accept(ByteBuffer(bytes: bytes))
            etags.append(CompletedPart(partNumber: number, etag: try await writer.finish().etag))
        }
        let etag = try await disk.complete(upload, parts: etags)
        let stored = try Data(contentsOf: folder.appendingPathComponent("objects/alice/grp/ses_1/file.bin"))
        #expect(Array(stored) == Array(0..<10))
        #expect(etag.hasSuffix("-3\""))
        #expect(!FileManager.default.fileExists(atPath: disk.uploadFile("ses_1").path))
        #expect(try await disk.complete(upload, parts: etags) == etag)
        try await disk.delete(key: upload.objectKey)
        try await disk.delete(key: upload.objectKey)
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func sizeAndChecksumsAreEnforced() async throws {
        let disk = try storage()
        let upload = upload(size: 8, partSize: 4)
        _ = try await disk.begin(upload)
        let part = upload.plan.part(1)!
        let bytes: [UInt8] = [1, 2, 3, 4]
        let tooMuch = try await disk.partWriter(sessionId: "ses_1", part: part, checksums: PartChecksums())
        #expect(throws: UploadError.self) { try tooMuch.accept(ByteBuffer(bytes: [UInt8](repeating: 0, count: 5))) }
        let short = try await disk.partWriter(sessionId: "ses_1", part: part, checksums: PartChecksums())
        try short.accept(ByteBuffer(bytes: bytes.prefix(3)))
        await #expect(throws: UploadError.self) { _ = try await short.finish() }

        let md5 = Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
        let sha = Data(SHA256.hash(data: bytes)).base64EncodedString()
        var crc = CRC32C()
        bytes.withUnsafeBytes { crc.update($0) }
        let good = try await disk.partWriter(sessionId: "ses_1", part: part,
                                       checksums: PartChecksums(md5: md5, sha256: sha, crc32c: Data(crc.bytes).base64EncodedString()))
        try good.accept(ByteBuffer(bytes: bytes))
        let received = try await good.finish()
        #expect(received.etag == String(format: "\"%08x\"", crc.value))
        #expect(received.checksum == Data(crc.bytes).base64EncodedString())
        #expect(received.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())

        for wrong in [PartChecksums(md5: sha), PartChecksums(sha256: md5), PartChecksums(crc32c: "AAAAAA==")] {
            let writer = try await disk.partWriter(sessionId: "ses_1", part: part, checksums: wrong)
            try writer.accept(ByteBuffer(bytes: bytes))
            do {
                _ = try await writer.finish()
                Issue.record("a wrong checksum was accepted")
            } catch {
                #expect(error.code == .checksumMismatch)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func unsafeKeysNeverTouchTheDisk() throws {
        let disk = try storage()
        for key in ["../x", "/etc/passwd", "a/../../b", "", "a//b", "a/./b"] {
            #expect(throws: UploadError.self) { _ = try disk.objectFile(key) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func combinedETagFollowsS3() {
        // md5 of the concatenated binary part digests, then "-N".
        let a = Insecure.MD5.hash(data: Data("a".utf8))
        let b = Insecure.MD5.hash(data: Data("b".utf8))
        let hex = { (d: Insecure.MD5Digest) in d.map { String(format: "%02x", $0) }.joined() }
        let expected = hex(Insecure.MD5.hash(data: Array(a) + Array(b)))
        let etag = DiskStorage.combinedETag([CompletedPart(partNumber: 2, etag: "\"\(hex(b))\""), CompletedPart(partNumber: 1, etag: "\"\(hex(a))\"")])
        #expect(etag == "\"\(expected)-2\"")
    }
}
