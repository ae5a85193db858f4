import Foundation
import GRDB
import UploadModel

/// One open write transaction: the repositories act through it, and it collects their events.
///
/// Counters and statuses that derive from other rows (a session's parts, a group's sessions) are
/// recomputed once when the transaction ends, so a burst of part changes costs one recount.
public final class StoreTransaction {
    /// The GRDB connection, inside the transaction.
    let db: Database
    /// Who is acting: recorded on every entity this transaction changes.
    public let actedBy: String
    /// The time stamped on every change; a simulation (fixtures, replays) may move it forward.
    public var now: Date
    /// Events appended so far, in order.
    private(set) var events: [UploadEvent] = []
    private var dirtySessions: [String] = []
    private var dirtySessionSet: Set<String> = []
    private var dirtyGroups: [String] = []
    private var dirtyGroupSet: Set<String> = []
    private var userOfGroup: [String: String] = [:]

    init(db: Database, actedBy: String, now: Date) {
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
    /// API tokens.
    public var tokens: TokenRepository { TokenRepository(tx: self) }
    /// The event log.
    public var eventLog: EventLog { EventLog(tx: self) }

    /// Appends the event of `change` to the log.
    func record(_ change: EntityChange, userId: String? = nil) throws {
        let owner = try userId ?? self.userId(ofGroup: change.groupId)
        var event = try UploadEvent(change: change, userId: owner, at: now)
        try event.appendRow(db)
        events.append(event)
    }

    /// The owner of a group, cached for the transaction.
    func userId(ofGroup groupId: String) throws -> String {
        if let cached = userOfGroup[groupId] { return cached }
        let owner = try String.fetchOne(
            db, sql: "SELECT userId FROM upload_groups WHERE id = ?", arguments: [groupId]) ?? ""
        userOfGroup[groupId] = owner
        return owner
    }

    /// Remembers a group's owner (used when the group is created or deleted in this transaction).
    func rememberOwner(_ userId: String, ofGroup groupId: String) {
        userOfGroup[groupId] = userId
    }

    /// Marks a session whose parts changed: its counters are recounted at flush.
    func touchSession(_ id: String, group: String) {
        if dirtySessionSet.insert(id).inserted { dirtySessions.append(id) }
        touchGroup(group)
    }

    /// Marks a group whose sessions changed: its status and counters are derived at flush.
    func touchGroup(_ id: String) {
        if dirtyGroupSet.insert(id).inserted { dirtyGroups.append(id) }
    }

    /// Recounts `sessionId` now if its parts changed in this transaction, so a status change
    /// that follows part changes starts from fresh counters and status.
    func settle(sessionId: String) throws {
        guard dirtySessionSet.remove(sessionId) != nil else { return }
        dirtySessions.removeAll { $0 == sessionId }
        try sessions.recount(sessionId)
    }

    /// Recounts every touched session and derives every touched group, writing an event for each
    /// one that changed. Runs by itself before commit; call it to read fresh counters mid-transaction.
    public func flush() throws {
        let sessionIds = dirtySessions
        dirtySessions.removeAll()
        dirtySessionSet.removeAll()
        for id in sessionIds {
            try sessions.recount(id)
        }
        let groupIds = dirtyGroups
        dirtyGroups.removeAll()
        dirtyGroupSet.removeAll()
        for id in groupIds {
            try groups.derive(id)
        }
    }
}
