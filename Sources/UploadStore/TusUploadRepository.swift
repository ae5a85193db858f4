import Foundation
import UploadModel

/// Keeps what tus uploads hold beside their sessions (``TusUpload``). A change to it writes no
/// event of its own: what operators see moves with the session's parts.
public struct TusUploadRepository {
    let tx: StoreTransaction

    /// The tus upload of `sessionId`, if that session was created through tus.
    public func find(_ sessionId: String) throws -> TusUpload? {
        try tx.db.record(key: sessionId)
    }

    /// The tus upload of `sessionId`, or `notFound`.
    public func get(_ sessionId: String) throws -> TusUpload {
        guard let upload = try find(sessionId) else { throw UploadError(.notFound, "no tus upload \(sessionId)") }
        return upload
    }

    /// Stores a new tus upload (its session must exist).
    public func insert(_ upload: TusUpload) throws {
        try upload.insert(tx.db)
    }

    /// Saves a changed tus upload.
    public func save(_ upload: TusUpload) throws {
        try upload.update(tx.db)
    }
}
