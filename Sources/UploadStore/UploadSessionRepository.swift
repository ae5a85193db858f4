import Foundation
import UploadModel

/// Creates sessions with their planned parts, and moves them through the lifecycle.
public struct UploadSessionRepository: EntityRepository {
    /// The transaction it acts in.
    public let tx: StoreTransaction
    /// It keeps sessions, `no session …` when absent.
    public typealias Entity = UploadSession
    /// What a `notFound` message calls a session.
    public static let noun = "session"

    /// The sessions of a group, oldest first.
    public func inGroup(_ groupId: String) throws -> [UploadSession] {
        try tx.db.records("SELECT * FROM upload_sessions WHERE groupId = ? ORDER BY createdAt, id", [groupId])
    }

    /// Sessions still open (PENDING, UPLOADING or FAILED) with no activity since `cutoff`.
    public func idle(since cutoff: Date, limit: Int) throws -> [UploadSession] {
        try tx.db.records(
            """
            SELECT * FROM upload_sessions
            WHERE status IN ('PENDING', 'UPLOADING', 'FAILED') AND lastActivityAt < ?
            ORDER BY lastActivityAt LIMIT ?
            """,
            [Timestamp.millis(cutoff), limit])
    }

    /// Stores a new PENDING session and its planned parts (all PENDING). One event records the
    /// session; its parts are implied by `totalParts` until one of them changes.
    @discardableResult
    public func create(_ session: UploadSession) throws -> UploadSession {
        var session = session
        guard session.status == .pending else {
            throw UploadError(.invalidTransition, "a new session starts PENDING, not \(session.status.rawValue)")
        }
        let group = try tx.groups.get(session.groupId)
        guard group.status != .cancelled else {
            throw UploadError(.conflict, "group \(group.id) is cancelled")
        }
        let plan = PartPlan(
            fileSize: session.size, method: session.method, partSize: session.partSize,
            totalParts: session.totalParts)
        guard session.totalParts >= 1, session.partSize >= 0, let last = plan.part(session.totalParts),
              last.size >= 0, last.size <= session.partSize, session.totalParts == 1 || last.size > 0
        else {
            throw UploadError(.invalidArgument, "parts do not add up to the file size")
        }
        session.userId = group.userId
        session.completedParts = 0
        session.bytesUploaded = 0
        session.updatedAt = tx.now
        session.lastActivityAt = tx.now
        session.actedBy = tx.actedBy
        try session.insert(tx.db)
        try GroupTally.adjust(tx.db, groupId: session.groupId, status: session.status, size: session.size,
                              uploaded: session.bytesUploaded, sign: 1)
        try FilePart.insertRows(plan.parts.map { planned in
            FilePart(
                sessionId: session.id, groupId: session.groupId, partNumber: planned.partNumber,
                offset: planned.offset, size: planned.size, createdAt: tx.now, actedBy: tx.actedBy)
        }, tx.db)
        try tx.record(.session(session), userId: session.userId)
        tx.touchGroup(session.groupId)
        return session
    }

    /// Moves the session to `status` if the lifecycle allows it, optionally recording an error and
    /// other field changes in the same step. Stamps `uploadedAt` / `completedAt` as fitting.
    @discardableResult
    public func transition(
        _ id: String, to status: FileStatus, error: ErrorDetail? = nil,
        _ change: (inout UploadSession) -> Void = { _ in }
    ) throws -> UploadSession {
        try tx.settle(sessionId: id)
        var session = try get(id)
        try UploadLifecycle.checkMove(from: session.status, to: status, id: id)
        change(&session)
        session.status = status
        if let error { session.error = error }
        switch status {
        case .uploaded: session.uploadedAt = session.uploadedAt ?? tx.now
        case .completed: session.completedAt = tx.now
        case .pending, .uploading: if error == nil { session.error = nil }
        default: break
        }
        session.lastActivityAt = tx.now
        return try save(session)
    }

    /// Records activity on the session (bytes are arriving): `lastActivityAt` becomes now, with its
    /// event, unless it was recorded less than `interval` seconds ago (then nothing is written), so a
    /// flowing transfer costs at most one write per interval (see ``ActivityRefresh``).
    @discardableResult
    public func touch(_ id: String, unlessWithin interval: TimeInterval) throws -> UploadSession {
        try tx.settle(sessionId: id)
        var session = try get(id)
        guard tx.now.timeIntervalSince(session.lastActivityAt) >= interval else { return session }
        session.lastActivityAt = tx.now
        return try save(session)
    }

    /// Changes fields that are not the status or the derived counters (uploadId, attempts, error).
    @discardableResult
    public func update(_ id: String, _ change: (inout UploadSession) -> Void) throws -> UploadSession {
        try tx.settle(sessionId: id)
        let old = try get(id)
        var session = old
        change(&session)
        session.status = old.status
        session.completedParts = old.completedParts
        session.bytesUploaded = old.bytesUploaded
        guard session != old else { return old }
        return try save(session)
    }

    /// Gives an open session whose parts have not moved a new plan: a tus upload whose length was
    /// deferred declares it. Size, method and parts change (the parts planned anew, all PENDING);
    /// the group's byte total follows. One event records the session.
    ///
    /// - Throws: `conflict` when the session no longer takes bytes or a part of it has moved;
    ///   `invalidArgument` when the plan's parts do not add up.
    @discardableResult
    public func replan(_ id: String, to plan: PartPlan) throws -> UploadSession {
        try tx.settle(sessionId: id)
        let old = try get(id)
        guard old.status == .pending || old.status == .uploading else {
            throw UploadError(.conflict, "session \(id) is \(old.status.rawValue); it takes no new plan")
        }
        let moved: Int = try tx.db.scalar(
            "SELECT count(*) FROM file_parts WHERE sessionId = ? AND status != 'PENDING'", [id]) ?? 0
        guard moved == 0 else { throw UploadError(.conflict, "session \(id) has parts under way; its plan is fixed") }
        guard plan.totalParts >= 1, let last = plan.part(plan.totalParts), last.size >= 0, last.size <= plan.partSize,
              plan.totalParts == 1 || last.size > 0
        else {
            throw UploadError(.invalidArgument, "parts do not add up to the file size")
        }
        try tx.db.execute("DELETE FROM file_parts WHERE sessionId = ?", [id])
        var session = old
        session.size = plan.fileSize
        session.method = plan.method
        session.partSize = plan.partSize
        session.totalParts = plan.totalParts
        try FilePart.insertRows(plan.parts.map { planned in
            FilePart(
                sessionId: id, groupId: old.groupId, partNumber: planned.partNumber,
                offset: planned.offset, size: planned.size, createdAt: tx.now, actedBy: tx.actedBy)
        }, tx.db)
        return try save(session)
    }

    /// Cancels the session and every job of it that has not ended.
    @discardableResult
    public func cancel(_ id: String, reason: ErrorDetail? = nil) throws -> UploadSession {
        let session = try transition(id, to: .cancelled, error: reason)
        try tx.jobs.cancelUnfinished(ofSession: id)
        return session
    }

    /// Deletes the session with its parts and jobs; one event says so.
    public func delete(_ id: String) throws {
        let session = try get(id)
        try UploadSession.delete(tx.db, key: id)
        try GroupTally.adjust(tx.db, groupId: session.groupId, status: session.status, size: session.size,
                              uploaded: session.bytesUploaded, sign: -1)
        try tx.record(
            .deleted(DeletedEntity(kind: .session, id: id, groupId: session.groupId, actedBy: tx.actedBy)),
            userId: session.userId)
        tx.touchGroup(session.groupId)
    }

    /// Moves the session's counters by `delta` (its parts changed in this transaction); a PENDING
    /// session whose parts started moving becomes UPLOADING. Reads only the session's own row.
    /// Records an event if anything changed.
    func apply(_ delta: SessionDelta, to id: String) throws {
        guard let session = try find(id) else { return }
        let updated = delta.applied(to: session)
        if updated.status != session.status {
            try UploadLifecycle.checkMove(from: session.status, to: updated.status, id: id)
        }
        guard updated != session else { return }
        var stamped = updated
        stamped.lastActivityAt = tx.now
        try save(stamped)
    }

    /// Recounts the session's uploaded parts and bytes from a scan of all its parts; a PENDING
    /// session whose parts started moving becomes UPLOADING. Records an event if anything changed.
    /// Not on the write path (that moves counters by ``SessionDelta``): this is the repair for
    /// counters that ``StoreAudit`` finds wrong.
    func recount(_ id: String) throws {
        guard let session = try find(id) else { return }
        let row = try tx.db.fetchOne(
            """
            SELECT count(*) FILTER (WHERE status = 'UPLOADED') AS done,
                   coalesce(sum(size) FILTER (WHERE status = 'UPLOADED'), 0) AS bytes,
                   count(*) FILTER (WHERE status != 'PENDING') AS started
            FROM file_parts WHERE sessionId = ?
            """,
            [id])
        guard let row else { return }
        var updated = session
        updated.completedParts = try row["done"]
        updated.bytesUploaded = try row["bytes"]
        let started: Int = try row["started"]
        if updated.status == .pending && started > 0 {
            try UploadLifecycle.checkMove(from: updated.status, to: .uploading, id: id)
            updated.status = .uploading
        }
        guard updated != session else { return }
        updated.lastActivityAt = tx.now
        try save(updated)
    }

    @discardableResult
    private func save(_ session: UploadSession) throws -> UploadSession {
        var session = session
        let old = try get(session.id)
        try GroupTally.change(tx.db, from: old, to: session)
        session.updatedAt = tx.now
        session.actedBy = tx.actedBy
        try session.update(tx.db)
        try tx.record(.session(session), userId: session.userId)
        tx.touchGroup(session.groupId)
        return session
    }
}
