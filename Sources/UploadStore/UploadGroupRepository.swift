import UploadModel

/// Creates, reads, cancels and deletes groups; their status follows their sessions.
public struct UploadGroupRepository: EntityRepository {
    /// The transaction it acts in.
    public let tx: StoreTransaction
    /// It keeps groups, `no group …` when absent.
    public typealias Entity = UploadGroup
    /// What a `notFound` message calls a group.
    public static let noun = "group"

    /// Stores a new group. It starts PENDING with zero counters.
    @discardableResult
    public func create(_ group: UploadGroup) throws -> UploadGroup {
        var group = group
        guard group.status == .pending else {
            throw UploadError(.invalidTransition, "a new group starts PENDING, not \(group.status.rawValue)")
        }
        group.counters = GroupCounters()
        group.updatedAt = tx.now
        group.lastActivityAt = tx.now
        group.actedBy = tx.actedBy
        try group.insert(tx.db)
        tx.rememberOwner(group.userId, ofGroup: group.id)
        try tx.record(.group(group), userId: group.userId)
        return group
    }

    /// The latest group of `userId` named `name` that is not cancelled, if any, as this transaction
    /// sees it: instances sharing a database take turns at writing, so one made by another is seen.
    public func latest(userId: String, name: String) throws -> UploadGroup? {
        try UploadSnapshot(db: tx.db).latestGroup(userId: userId, name: name)
    }

    /// Changes fields that are not derived (name, description, error) and records the change.
    @discardableResult
    public func update(_ id: String, _ change: (inout UploadGroup) -> Void) throws -> UploadGroup {
        let old = try get(id)
        var group = old
        change(&group)
        group.status = old.status
        group.counters = old.counters
        guard group != old else { return old }
        return try save(group)
    }

    /// Cancels the group: every session that has not ended is cancelled with it, and the group
    /// becomes CANCELLED. Illegal for a group that already ended in CANCELLED or COMPLETED.
    @discardableResult
    public func cancel(_ id: String, reason: ErrorDetail? = nil) throws -> UploadGroup {
        let group = try get(id)
        try UploadLifecycle.checkMove(from: group.status, to: .cancelled, id: id)
        let open: [UploadSession] = try tx.db.records(
            """
            SELECT * FROM upload_sessions WHERE groupId = ? AND status NOT IN ('COMPLETED', 'CANCELLED', 'EXPIRED')
            ORDER BY createdAt, id
            """, [id])
        for session in open {
            try tx.sessions.cancel(session.id, reason: reason)
        }
        var cancelled = try get(id)
        cancelled.status = .cancelled
        cancelled.error = reason ?? cancelled.error
        cancelled.lastActivityAt = tx.now
        return try save(cancelled)
    }

    /// Deletes the group with its sessions, parts and jobs; one event says so.
    public func delete(_ id: String) throws {
        let group = try get(id)
        tx.rememberOwner(group.userId, ofGroup: id)
        try UploadGroup.delete(tx.db, key: id)
        try tx.record(.deleted(DeletedEntity(kind: .group, id: id, groupId: id, actedBy: tx.actedBy)), userId: group.userId)
    }

    /// Derives the group's status and counters from its sessions; records an event if they moved.
    func derive(_ id: String) throws {
        guard let group = try find(id) else { return }
        let tally = try GroupTally.tally(tx.db, groupId: id)
        let derived = UploadLifecycle.deriveGroup(current: group.status, sessions: tally)
        guard !derived.matches(group) else { return }
        var updated = group
        derived.apply(to: &updated)
        updated.lastActivityAt = tx.now
        try save(updated)
    }

    @discardableResult
    private func save(_ group: UploadGroup) throws -> UploadGroup {
        var group = group
        group.updatedAt = tx.now
        group.actedBy = tx.actedBy
        try group.update(tx.db)
        try tx.record(.group(group), userId: group.userId)
        return group
    }
}
