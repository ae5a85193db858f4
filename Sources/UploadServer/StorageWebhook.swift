import Foundation
import HTTPTypes
import Logging
import ObjectStorage
import UploadModel
import UploadStore

/// `POST /api/v1/storage-webhook`: bucket notifications from MinIO or S3.
///
/// An event is a hint, never the truth: each one makes upman look at the object in storage
/// (HeadObject) and move the session to what storage holds. Deliveries that are repeated or come
/// in any order therefore end in the same state, and a stale event changes nothing.
///
/// - `s3:ObjectCreated:*` with the object present at its planned size: a PENDING or UPLOADING
///   single-PUT session gets its part recorded and is finished (UPLOADED → PROCESSING) in one
///   transaction; a multipart session is finished when its recorded parts make the object's ETag.
///   A session that already moved on is left alone.
/// - `s3:ObjectRemoved:*` with the object really gone: a COMPLETED session (terminal) keeps its
///   status and gets the error `objectRemoved`; an UPLOADED or PROCESSING session becomes FAILED
///   with it (its jobs are cancelled); an open single-PUT session whose part was recorded gets
///   that part reopened (PENDING) so the uploader sends it again.
/// - An unknown key or bucket is logged and acknowledged.
struct StorageWebhook: Sendable {
    let store: UploadStore
    let storage: any ObjectStorage
    let finisher: SessionFinisher
    let authenticator: Authenticator
    /// The configured webhook token; without one, an admin token is required.
    let token: String?
    /// The bucket events must name (S3 storage), if known.
    let bucket: String?
    let logger: Logger

    /// What one delivery did.
    struct Result: Encodable {
        var received: Int
        var applied: Int
        var unknown: Int
    }

    /// Checks the bearer token: the webhook token if one is configured, else an admin token.
    func authorize(_ headers: HTTPFields) async throws {
        guard let value = headers[.authorization] else {
            throw UploadError(.unauthorized, "missing Authorization: Bearer TOKEN")
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw UploadError(.unauthorized, "Authorization must be: Bearer TOKEN")
        }
        let given = parts[1].trimmingCharacters(in: .whitespaces)
        if let token {
            guard Self.constantTimeEqual(given, token) else { throw UploadError(.unauthorized, "not the storage webhook token") }
            return
        }
        let principal = try await authenticator.principal(forToken: given)
        guard principal.isAdmin else { throw UploadError(.forbidden, "storage events need the webhook token or an admin token") }
    }

    /// Applies every record of one delivery.
    func handle(body: Data) async throws -> Result {
        let notification: StorageNotification
        do {
            notification = try JSONDecoder().decode(StorageNotification.self, from: body)
        } catch {
            throw UploadError(.badRequest, "the body is not a bucket notification (JSON with Records): \(error)")
        }
        let records = notification.Records ?? []
        // A delivery is refused whole or applied whole: no record is applied when one is malformed.
        guard records.allSatisfy({ $0.s3?.object?.key != nil }) else {
            throw UploadError(.badRequest, "a record has no s3.object.key")
        }
        var result = Result(received: 0, applied: 0, unknown: 0)
        for record in records {
            result.received += 1
            switch try await apply(record) {
            case .applied: result.applied += 1
            case .unknown: result.unknown += 1
            case .unchanged: break
            }
        }
        return result
    }

    enum Outcome { case applied, unchanged, unknown }

    private func apply(_ record: StorageNotification.Record) async throws -> Outcome {
        let name = record.eventName ?? ""
        guard let encoded = record.s3?.object?.key else { throw UploadError(.badRequest, "a record has no s3.object.key") }
        guard let key = StorageNotification.decodeKey(encoded) else {
            // Storage URL-encodes every key it sends; one that does not decode names nothing upman stored.
            logger.info("storage event with a key that is not URL-encoded ignored", metadata: ["key": "\(encoded)", "event": "\(name)"])
            return .unknown
        }
        if let bucket, let named = record.s3?.bucket?.name, named != bucket {
            logger.info("storage event for another bucket ignored", metadata: ["bucket": "\(named)", "key": "\(key)", "event": "\(name)"])
            return .unknown
        }
        guard let session = try await store.reader.session(objectKey: key) else {
            logger.info("storage event for an unknown key ignored", metadata: ["key": "\(key)", "event": "\(name)"])
            return .unknown
        }
        if name.hasPrefix("s3:ObjectCreated:") { return try await created(session, event: name) }
        if name.hasPrefix("s3:ObjectRemoved:") { return try await removed(session, event: name) }
        logger.info("storage event ignored", metadata: ["session": "\(session.id)", "event": "\(name)"])
        return .unchanged
    }

    private func created(_ session: UploadSession, event: String) async throws -> Outcome {
        guard session.status == .pending || session.status == .uploading else { return .unchanged }
        guard let object = try await storage.objectInfo(key: session.objectKey) else {
            logger.info("created event for an object no longer there", metadata: ["session": "\(session.id)", "event": "\(event)"])
            return .unchanged
        }
        let finisher = self.finisher
        let before = session
        let after = try await store.transaction(actedBy: "storage") { tx -> UploadSession in
            let current = try tx.sessions.get(session.id)
            guard current.status == .pending || current.status == .uploading else { return current }
            guard object.size == current.size else {
                return try tx.sessions.transition(current.id, to: .failed, error: ErrorDetail(
                    code: "objectMismatch", message: "storage holds \(object.size) bytes at \(current.objectKey), not the \(current.size) planned"))
            }
            if current.method == .single {
                let part = try tx.parts.get(sessionId: current.id, partNumber: 1)
                let etag = object.etag ?? part.etag ?? ""
                if part.status != .uploaded || !EntityTag.same(part.etag, etag) {
                    try tx.parts.markUploaded(sessionId: current.id, partNumber: 1, etag: etag)
                }
                return try finisher.finish(current.id, in: tx)
            }
            let parts = try tx.parts.forSession(current.id)
            guard parts.allSatisfy({ $0.status == .uploaded }) else { return current }
            let expected = DiskStorage.combinedETag(parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })
            guard EntityTag.same(object.etag, expected) else {
                return try tx.sessions.transition(current.id, to: .failed, error: ErrorDetail(
                    code: "objectMismatch", message: "storage's object has ETag \(object.etag ?? "none"), not the \(expected) its recorded parts make"))
            }
            return try finisher.finish(current.id, in: tx)
        }
        finisher.announce(after)
        return after.status == before.status ? .unchanged : .applied
    }

    private func removed(_ session: UploadSession, event: String) async throws -> Outcome {
        if try await storage.objectInfo(key: session.objectKey) != nil {
            logger.info("removed event for an object that exists again ignored", metadata: ["session": "\(session.id)", "event": "\(event)"])
            return .unchanged
        }
        let gone = ErrorDetail(code: "objectRemoved", message: "storage reports the object was removed (\(event)); its bytes are gone")
        let changed = try await store.transaction(actedBy: "storage") { tx -> Bool in
            let current = try tx.sessions.get(session.id)
            switch current.status {
            case .completed:
                guard current.error != gone else { return false }
                try tx.sessions.update(current.id) { $0.error = gone }
                return true
            case .uploaded, .processing:
                try tx.sessions.transition(current.id, to: .failed, error: gone)
                try tx.jobs.cancelUnfinished(ofSession: current.id)
                return true
            case .pending, .uploading:
                guard current.method == .single else { return false }
                let part = try tx.parts.get(sessionId: current.id, partNumber: 1)
                guard part.status == .uploaded else { return false }
                try tx.parts.transition(sessionId: current.id, partNumber: 1, to: .pending, error: gone)
                return true
            case .failed, .cancelled, .expired:
                return false
            }
        }
        return changed ? .applied : .unchanged
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
