import Foundation
import NIOCore
import ObjectStorage
import UploadModel

/// The disk store's ``TusPartSink``: bytes stream into the upload file at their offset (never held
/// whole); a part or a partial part is kept once it is synced to the disk.
final class TusDiskSink: TusPartSink {
    private let appender: UploadFileAppender

    /// Opens the upload file of `sessionId` at `offset`.
    init(storage: DiskStorage, sessionId: String, offset: Int64) async throws {
        appender = try await storage.appender(sessionId: sessionId, at: offset)
    }

    func append(_ buffer: ByteBuffer) async throws {
        try await appender.append(buffer)
    }

    /// Writes the part and syncs it in the background; its entity tag is the hex of its CRC-32C, as for every part of the disk store.
    func finishPart(_ partNumber: Int, size: Int64, crc32c: UInt32) async throws -> Task<String, Error> {
        let synced = try await appender.syncLater()
        let etag = "\"\(Hex.lowercase(CRC32C.bytes(crc32c)))\""
        return Task {
            try await synced.value
            return etag
        }
    }

    func keepPartial(bytes: Int64) async throws {
        try await appender.sync()
    }

    func close() {
        appender.close()
    }
}
