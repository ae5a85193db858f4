import Foundation
import UploadModel

/// One open write transaction: the repositories act through it, and it collects their events.
///
/// Counters and statuses that derive from other rows (a session's parts, a group's sessions) move
/// by deltas: part changes sum into one ``SessionDelta`` per session, applied to the session row
/// once when the transaction ends (no scan of the session's parts), and groups derive from their
/// tallies. A burst of part changes costs one session write.
public final class StoreTransaction {
    /// The connection, inside the transaction.
    let db: any SQLDatabase
    /// Who is acting: recorded on every entity this transaction changes.
    public let actedBy: String
    /// The time stamped on every change; a simulation (fixtures, replays) may move it forward.
    public var now: Date
    /// Events recorded so far, in order; they reach the log (and get their ids) just before the
    /// transaction commits.
    private(set) var events: [UploadEvent] = []
    private var dirtySessions: [String] = []
    private var sessionDeltas: [String: SessionDelta] = [:]
    private var dirtyGroups: [String] = []
    private var dirtyGroupSet: Set<String> = []
    private var userOfGroup: [String: String] = [:]

    init(db: any SQLDatabase, actedBy: String, now: Date) {
        self.db = db
        self.actedBy = actedBy
        self.now = now
    }

    /// Groups.
    public var groups: UploadGroupRepository { UploadGroupRepository(tx: self) }
    /// Sessions.
    public var sessions: UploadSessionRepository { UploadSessionRepository(tx: self) }
    /// Parts.
    public var parts: FilePartRepository { FilePartRepository(tx: self) }
    /// Jobs.
    public var jobs: ProcessingJobRepository { ProcessingJobRepository(tx: self) }
    /// What tus uploads keep beside their sessions.
    public var tus: TusUploadRepository { TusUploadRepository(tx: self) }
    /// API tokens.
    public var tokens: TokenRepository { TokenRepository(tx: self) }
    /// The event log.
    public var eventLog: EventLog { EventLog(tx: self) }

    /// Records the event of `change`, for the log.
    func record(_ change: EntityChange, userId: String? = nil) throws {
        let owner = try userId ?? self.userId(ofGroup: change.groupId)
        events.append(try UploadEvent(change: change, userId: owner, at: now))
    }

    /// The owner of a group, cached for the transaction.
    func userId(ofGroup groupId: String) throws -> String {
        if let cached = userOfGroup[groupId] { return cached }
        let owner: String = try db.scalar("SELECT userId FROM upload_groups WHERE id = ?", [groupId]) ?? ""
        userOfGroup[groupId] = owner
        return owner
    }

    /// Remembers a group's owner (used when the group is created or deleted in this transaction).
    func rememberOwner(_ userId: String, ofGroup groupId: String) {
        userOfGroup[groupId] = userId
    }

    /// Records that a session's parts moved its counters by `delta`: applied to the session at flush.
    func touchSession(_ id: String, group: String, by delta: SessionDelta) {
        if let pending = sessionDeltas[id] {
            sessionDeltas[id] = { var sum = pending; sum += delta; return sum }()
        } else {
            sessionDeltas[id] = delta
            dirtySessions.append(id)
        }
        touchGroup(group)
    }

    /// Marks a group whose sessions changed: its status and counters are derived at flush.
    func touchGroup(_ id: String) {
        if dirtyGroupSet.insert(id).inserted { dirtyGroups.append(id) }
    }

    /// Applies `sessionId`'s pending counter delta now if its parts changed in this transaction,
    /// so a status change that follows part changes starts from fresh counters and status.
    func settle(sessionId: String) throws {
        guard let delta = sessionDeltas.removeValue(forKey: sessionId) else { return }
        dirtySessions.removeAll { $0 == sessionId }
        try sessions.apply(delta, to: sessionId)
    }

    /// Applies every touched session's counter delta and derives every touched group, writing an
    /// event for each one that changed. Runs by itself before commit; call it to read fresh
    /// counters mid-transaction.
    public func flush() throws {
        let sessionIds = dirtySessions
        let deltas = sessionDeltas
        dirtySessions.removeAll()
        sessionDeltas.removeAll()
        for id in sessionIds {
            try sessions.apply(deltas[id] ?? .zero, to: id)
        }
        let groupIds = dirtyGroups
        dirtyGroups.removeAll()
        dirtyGroupSet.removeAll()
        for id in groupIds {
            try groups.derive(id)
        }
    }
}
