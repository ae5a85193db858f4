import Foundation
import NIOCore
import ObjectStorage
import UploadModel

/// The S3 ``TusPartSink``: bytes are gathered in memory into parts of the session's part size (at
/// least 5 MiB, S3's minimum for every part but the last), each sent with UploadPart once whole (or,
/// for a one-part plan, PutObject of the whole object) while the next one fills. The bytes of an unfinished part are kept
/// as an object of their own beside the upload, `<object key>.tus-partial`, as tusd's s3store
/// keeps its `.part` object, so any restart, or another instance, continues from them.
final class TusS3Sink: TusPartSink {
    private let storage: S3Storage
    private let upload: StorageUpload
    private var buffer = Data()
    private var kept = 0

    /// Opens the upload; when `partialBytes` of the current part were kept, reads them back.
    ///
    /// - Throws: ``TusS3Sink/PartialLost`` when the bytes kept are fewer than recorded (the record
    ///   is then reset by the caller and the client resumes from the part's start).
    init(storage: S3Storage, upload: StorageUpload, partialBytes: Int64, partSize: Int64) async throws {
        self.storage = storage
        self.upload = upload
        buffer.reserveCapacity(Int(min(partSize, 64 << 20)))
        if partialBytes > 0 {
            let kept = try await storage.object(key: S3Storage.tusPartialKey(upload.objectKey), limit: Int(partSize))
            guard let kept, kept.count >= partialBytes else { throw PartialLost() }
            buffer.append(kept.prefix(Int(partialBytes)))
            self.kept = Int(partialBytes)
        }
    }

    /// The object of an unfinished part is missing or shorter than recorded.
    struct PartialLost: Error {}

    func append(_ buffer: ByteBuffer) async throws {
        self.buffer.append(contentsOf: buffer.readableBytesView)
    }

    /// Hands the part's bytes to a task that sends them (UploadPart, or PutObject for a one-part
    /// plan) while the next part fills a new buffer.
    func finishPart(_ partNumber: Int, size: Int64, crc32c: UInt32) async throws -> Task<String, Error> {
        precondition(buffer.count == Int(size), "a part is finished with all its bytes")
        let body = buffer
        buffer = Data()
        buffer.reserveCapacity(body.count)
        kept = 0
        let storage = self.storage, upload = self.upload
        return Task {
            let etag: String
            if upload.plan.method == .multipart {
                etag = try await storage.uploadPart(upload, partNumber: partNumber, body: body, crc32c: crc32c)
            } else {
                etag = try await storage.putObject(key: upload.objectKey, body: body, crc32c: crc32c)
            }
            return EntityTag(etag)?.quoted ?? etag
        }
    }

    func keepPartial(bytes: Int64) async throws {
        guard Int(bytes) != kept else { return }
        _ = try await storage.putObject(key: S3Storage.tusPartialKey(upload.objectKey), body: buffer.prefix(Int(bytes)), crc32c: nil)
        kept = Int(bytes)
    }

    func close() {
        buffer = Data()
    }
}
