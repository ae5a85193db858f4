import Foundation
import Logging
import ObjectStorage
import UploadModel
import UploadStore

/// Removes the upload files a killed process left in the embedded store: `initiate` prepares
/// the file before the session's row commits, and `abort`, `cancel`, `delete` and the sweeper
/// drop bytes after theirs, so a crash in between leaves a (preallocated, often large) file that
/// nothing would ever remove.
///
/// Runs once at start, before the server listens: no request is under way then, so a file whose
/// session is missing, CANCELLED or EXPIRED is certainly abandoned. (One server per data
/// directory, as always.) FAILED sessions keep theirs: they can be retried.
enum AbandonedUploads {
    /// Removes every abandoned upload file; returns the sessions whose files went.
    @discardableResult
    static func remove(from storage: DiskStorage, store: UploadStore, logger: Logger) throws -> [String] {
        var removed: [String] = []
        for sessionId in try storage.uploadSessionIds() {
            let status = try store.reader.snapshot { try $0.session(sessionId) }?.status
            guard status == nil || status == .cancelled || status == .expired else { continue }
            try storage.removeUpload(sessionId: sessionId)
            removed.append(sessionId)
        }
        if !removed.isEmpty {
            logger.notice("removed upload files a stopped process left behind", metadata: ["sessions": "\(removed.count)"])
        }
        return removed
    }

    /// Moves back the objects of sessions that are still open: a completion (`complete`, or a
    /// single PUT completing its session) moves the upload file into place before its record
    /// commits, so a process killed in between leaves an open session whose bytes sit in
    /// `objects/`. Moved back, the session takes its PUT or `complete` again as if the completion
    /// never started. Returns the sessions restored.
    @discardableResult
    static func restore(in storage: DiskStorage, store: UploadStore, logger: Logger) throws -> [String] {
        var restored: [String] = []
        var cursor = ""
        while true {
            let page = try store.reader.snapshot { try $0.openSessionKeys(after: cursor, limit: 1000) }
            for session in page where try storage.restoreUnrecordedCompletion(sessionId: session.id, objectKey: session.objectKey) {
                restored.append(session.id)
            }
            guard let last = page.last else { break }
            cursor = last.id
        }
        if !restored.isEmpty {
            logger.notice("moved back the objects of completions a stopped process did not record", metadata: ["sessions": "\(restored.count)"])
        }
        return restored
    }
}
