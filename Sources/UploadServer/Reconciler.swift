import Foundation
import Logging
import ObjectStorage
import Synchronization
import UploadModel
import UploadStore

/// Compares open sessions with what storage holds, a bounded page per pass (the sweeper runs it).
///
/// For each PENDING or UPLOADING session idle longer than the grace period and not busy in this
/// process (bytes arriving, or a completion under way: see ``TransferTracker``); the disk store
/// answers ListParts with the database's own record while its upload file exists, and
/// `NoSuchUpload` once it is gone:
/// - multipart: ListParts (``PartVerifier``). Parts storage has that were never reported are
///   recorded with storage's ETags, and records storage contradicts are reopened; when every part
///   is there, the upload is completed (the uploader's `complete` was lost). `NoSuchUpload` means
///   the bytes are gone: the session becomes EXPIRED with the reason
///   (code `uploadGone`), unless the object already exists with exactly the ETag the recorded
///   parts make (an earlier complete went through), in which case it is finished.
/// - single PUT: HeadObject. An object of the planned size means the PUT arrived: the part is
///   recorded and the session finished.
public final class Reconciler: Sendable {
    /// The controller whose store, storage, finisher and transfers it works with.
    let controller: SessionController
    /// How long a session is idle before it is compared (``ServerConfiguration/reconcileGrace``).
    let grace: TimeInterval
    /// Sessions per pass (``ServerConfiguration/reconcileBatch``).
    let batch: Int
    private let cursor = Mutex<(Date, String)?>(nil)

    /// Creates a reconciler with the grace and batch of `controller`'s configuration, or `grace` when given.
    init(controller: SessionController, grace: TimeInterval? = nil) {
        self.controller = controller
        self.grace = grace ?? controller.configuration.reconcileGrace
        self.batch = controller.configuration.reconcileBatch
    }

    private var store: UploadStore { controller.store }
    private var storage: any ObjectStorage { controller.storage }
    private var finisher: SessionFinisher { controller.finisher }
    private var transfers: TransferTracker { controller.transfers }
    private var logger: Logger { controller.logger }

    /// What one pass did to one session.
    public struct Action: Sendable, Hashable {
        /// The session.
        public var sessionId: String
        /// `finished`, `expired` or `partsRecorded`.
        public var action: String
    }

    /// Checks one page of idle open sessions against storage; returns what changed.
    @discardableResult
    public func reconcile(now: Date) async throws -> [Action] {
        let after = cursor.withLock { $0 }
        let page = try await store.reader.openSessions(idleSince: now.addingTimeInterval(-grace), after: after, limit: batch)
        cursor.withLock { $0 = page.count < batch ? nil : page.last.map { ($0.lastActivityAt, $0.id) } }
        var actions: [Action] = []
        for session in page {
            do {
                if let action = try await reconcile(session) { actions.append(Action(sessionId: session.id, action: action)) }
            } catch {
                logger.warning("reconciling a session failed", metadata: ["session": "\(session.id)", "error": "\(error)"])
            }
        }
        return actions
    }

    private func reconcile(_ session: UploadSession) async throws -> String? {
        // Bytes arriving or a completion under way: the session is not idle, whatever it recorded.
        guard !transfers.isBusy(session.id) else { return nil }
        // upman itself sends a tus upload's parts to S3 and records each once it is whole and its
        // PATCH's checksum held: a part S3 lists without a record may be one whose checksum failed,
        // and is never taken. The sweeper expires such a session when it stays idle.
        if !storage.recordsPartsOnArrival, try await store.reader.isTusUpload(session.id) { return nil }
        let upload = StorageUpload(session)
        guard session.method == .multipart else { return try await reconcileSingle(session) }
        let verifier = PartVerifier(store: store, storage: storage)
        var changed = false
        do {
            if storage.recordsPartsOnArrival {
                // The disk store's records are what it holds; this tells whether its upload file is there.
                _ = try await storage.uploadedParts(upload)
            } else {
                changed = try await verifier.audit(session, actedBy: "reconciler")?.changesRecords ?? false
            }
        } catch let error as UploadError where error.code == .uploadGone {
            return try await uploadGone(session, reason: error)
        }
        let parts = try await store.reader.parts(sessionId: session.id)
        guard parts.count == session.totalParts, parts.allSatisfy({ $0.status == .uploaded }) else {
            return changed ? "partsRecorded" : nil
        }
        do {
            try transfers.beginCompleting(session.id)
        } catch {
            return changed ? "partsRecorded" : nil
        }
        defer { transfers.endCompleting(session.id) }
        // Read again after the mark: a sweep that expired the session before it has committed.
        guard let current = try await store.reader.session(session.id), current.status == .pending || current.status == .uploading else {
            return changed ? "partsRecorded" : nil
        }
        do {
            _ = try await storage.complete(upload, parts: parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })
        } catch let error as UploadError where error.code == .uploadGone {
            return try await uploadGone(session, reason: error)
        } catch let error as UploadError where SessionController.partRefusals.contains(error.code) && !storage.recordsPartsOnArrival {
            // Reopen what S3 does not hold as recorded, so the uploader can send it again.
            _ = try? await verifier.audit(session, actedBy: "reconciler")
            throw error
        }
        return try await finish(session)
    }

    private func reconcileSingle(_ session: UploadSession) async throws -> String? {
        guard let object = try await storage.objectInfo(key: session.objectKey), object.size == session.size else { return nil }
        let finisher = self.finisher
        let after = try await store.transaction(actedBy: "reconciler") { tx -> UploadSession in
            let part = try tx.parts.get(sessionId: session.id, partNumber: 1)
            if part.status != .uploaded, let etag = object.etag ?? part.etag {
                try tx.parts.markUploaded(sessionId: session.id, partNumber: 1, etag: etag)
            }
            return try finisher.finish(session.id, in: tx)
        }
        finisher.announce(after)
        logger.info("single PUT found in storage; session finished", metadata: ["session": "\(session.id)"])
        return "finished"
    }

    private func uploadGone(_ session: UploadSession, reason: UploadError) async throws -> String {
        let parts = try await store.reader.parts(sessionId: session.id)
        if parts.count == session.totalParts, parts.allSatisfy({ $0.status == .uploaded }),
           let object = try await storage.objectInfo(key: session.objectKey), object.size == session.size,
           // The disk store keeps no ETag; its object at this session's own key can only come from
           // this session's complete.
           object.etag == nil || EntityTag.same(object.etag, DiskStorage.combinedETag(parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })) {
            return try await finish(session)
        }
        let expired = try await store.transaction(actedBy: "reconciler") { tx in
            try SessionFinisher.expireGone(session.id, reason: reason, in: tx)
        }
        logger.warning("storage upload is gone; session expired", metadata: ["session": "\(session.id)", "reason": "\(reason.message)"])
        return expired.status == .expired ? "expired" : "unchanged"
    }

    private func finish(_ session: UploadSession) async throws -> String {
        let finisher = self.finisher
        let after = try await store.transaction(actedBy: "reconciler") { tx in try finisher.finish(session.id, in: tx) }
        finisher.announce(after)
        logger.info("session finished from storage's parts (its complete was lost)", metadata: ["session": "\(session.id)"])
        return "finished"
    }
}
