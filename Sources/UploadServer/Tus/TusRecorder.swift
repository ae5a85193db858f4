import Foundation
import UploadModel
import UploadStore

/// Records what one tus write kept, each step one transaction: the part being filled as
/// UPLOADING, parts made whole as UPLOADED (or, while the length is deferred, kept aside in the
/// tus upload until it is declared), the bytes of the unfinished part, and the session's activity
/// at most once per ``ActivityRefresh`` interval while bytes flow.
///
/// Every step first checks the session still takes bytes (409 otherwise), so an operator's cancel
/// stops a write at its next step. Used by one task at a time, never by two at once.
final class TusRecorder: @unchecked Sendable {
    let store: UploadStore
    let sessionId: String
    let deferred: Bool
    let actor: String
    let totalParts: Int
    let interval: TimeInterval
    private var touched = Date()

    init(store: UploadStore, sessionId: String, deferred: Bool, actor: String, totalParts: Int, interval: TimeInterval) {
        self.store = store
        self.sessionId = sessionId
        self.deferred = deferred
        self.actor = actor
        self.totalParts = totalParts
        self.interval = interval
    }

    /// The write begins filling part `part`: it becomes UPLOADING (the session too, when its
    /// length is deferred and it has no part to show it yet).
    func begin(part: Int) async throws {
        let id = sessionId, deferred = self.deferred, totalParts = self.totalParts, interval = self.interval
        try await store.transaction(actedBy: actor) { tx in
            let session = try tx.sessions.get(id)
            try SessionController.requireOpen(session)
            if deferred {
                if session.status == .pending { try tx.sessions.transition(id, to: .uploading) }
            } else if part <= totalParts {
                try Self.markUploading(part, of: id, in: tx)
            }
            try tx.sessions.touch(id, unlessWithin: interval)
        }
        touched = Date()
    }

    /// Records `parts` as kept and, given `partial`, the bytes of the unfinished part (none when
    /// its byte count is 0); `next` becomes UPLOADING.
    func record(_ parts: [TusAppender.FinishedPart], next: Int?, partial: (part: Int, bytes: Int64, crc32c: UInt32)?) async throws {
        let id = sessionId, deferred = self.deferred, totalParts = self.totalParts, interval = self.interval
        try await store.transaction(actedBy: actor) { tx in
            try SessionController.requireOpen(try tx.sessions.get(id))
            var tus = try tx.tus.get(id)
            for part in parts {
                if deferred {
                    tus.filledParts.append(TusUpload.FilledPart(partNumber: part.partNumber, size: part.size, etag: part.etag, checksum: part.checksum))
                } else {
                    try tx.parts.markUploaded(sessionId: id, partNumber: part.partNumber, etag: part.etag, checksum: part.checksum)
                }
            }
            if let partial {
                tus.partialPart = partial.bytes > 0 ? partial.part : 0
                tus.partialBytes = partial.bytes
                tus.partialCRC32C = partial.bytes > 0 ? partial.crc32c : 0
            } else if let last = parts.last, tus.partialPart <= last.partNumber {
                tus.partialPart = 0
                tus.partialBytes = 0
                tus.partialCRC32C = 0
            }
            try tx.tus.save(tus)
            if let next, !deferred, next <= totalParts { try Self.markUploading(next, of: id, in: tx) }
            try tx.sessions.touch(id, unlessWithin: interval)
        }
        touched = Date()
    }

    /// Records the session's activity when the last record is older than the interval, so a slow,
    /// steady PATCH is never taken for an idle upload.
    func touchIfDue() async throws {
        guard Date().timeIntervalSince(touched) >= interval else { return }
        touched = Date()
        let id = sessionId, interval = self.interval
        try await store.transaction(actedBy: actor) { tx in
            try SessionController.requireOpen(try tx.sessions.get(id))
            try tx.sessions.touch(id, unlessWithin: interval)
        }
    }

    private static func markUploading(_ part: Int, of id: String, in tx: StoreTransaction) throws {
        let current = try tx.parts.get(sessionId: id, partNumber: part)
        if current.status == .pending || current.status == .failed {
            try tx.parts.transition(sessionId: id, partNumber: part, to: .uploading)
        }
    }
}
