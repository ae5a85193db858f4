import Foundation
import ObjectStorage
import UploadModel
import UploadStore

/// Brings a session's part records in line with what a storage that lists parts itself (S3) holds
/// (see ``PartAudit``): parts it holds are recorded with its ETags, records it contradicts are
/// reopened (PENDING, error `invalidPart`), in one transaction with their events.
///
/// `complete` and the reconciler run it before completing, so S3 is only ever asked to join parts
/// it holds, and after S3 refuses a completion, so the session is left with open parts the
/// uploader can send again rather than stuck with records that can never complete.
struct PartVerifier: Sendable {
    let store: UploadStore
    let storage: any ObjectStorage

    /// What the storage holds for `session`: ListParts for a multipart upload, HeadObject for a
    /// single PUT; nil when the storage keeps no list of the parts. Throws
    /// ``UploadError/Code/uploadGone`` when the multipart upload is gone.
    func held(_ session: UploadSession) async throws -> [StoredPart]? {
        let upload = StorageUpload(session)
        if session.method == .multipart { return try await storage.uploadedParts(upload) }
        return try await storage.storedPart(upload, partNumber: 1).map { [$0] } ?? []
    }

    /// Lists what the storage holds, audits the session's records against it and applies the
    /// audit in one transaction on behalf of `actor`; returns the audit, or nil when the storage
    /// keeps no list to audit against. Records of a session that no longer takes bytes are left
    /// alone.
    func audit(_ session: UploadSession, actedBy actor: String) async throws -> PartAudit? {
        let listedAt = Timestamp.truncated(Date())
        guard let held = try await held(session) else { return nil }
        let plan = SessionController.plan(of: session)
        return try await store.transaction(actedBy: actor) { tx in
            let current = try tx.sessions.get(session.id)
            let audit = PartAudit(plan: plan, recorded: try tx.parts.forSession(session.id), held: held, listedAt: listedAt)
            guard current.status == .pending || current.status == .uploading else { return audit }
            for part in audit.record {
                try tx.parts.markUploaded(sessionId: session.id, partNumber: part.partNumber, etag: part.etag)
            }
            for number in audit.reopen {
                try tx.parts.transition(
                    sessionId: session.id, partNumber: number, to: .pending,
                    error: ErrorDetail(code: UploadError.Code.invalidPart.rawValue,
                                       message: "the storage does not hold part \(number) as recorded; send it again"))
            }
            return audit
        }
    }
}
