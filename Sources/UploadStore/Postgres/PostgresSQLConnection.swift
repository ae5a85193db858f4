import Foundation
import UploadModel

/// ``SQLDatabase`` over one ``PostgresLink`` inside an open transaction.
final class PostgresSQLConnection: SQLDatabase {
    /// The PostgreSQL channel a commit with events notifies, its payload the newest event id:
    /// other instances listen on it and then read the events table (the payload only wakes them).
    static let eventChannel = "upman_events"

    private let link: PostgresLink
    private var savepoints = 0
    private(set) var aborted = false

    /// A connection over `link`, whose transaction is open.
    init(_ link: PostgresLink) {
        self.link = link
    }

    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
        try run(sql, arguments).1
    }

    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
        try run(sql, arguments).0
    }

    @discardableResult
    private func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> ([SQLRow], Int) {
        do {
            return try link.query(sql, arguments)
        } catch {
            // PostgreSQL refuses every statement after an error until the transaction (or the
            // savepoint around it) is rolled back.
            if savepoints == 0 { aborted = true }
            throw PostgresFailure.wrap(error, doing: "a query")
        }
    }

    func inSavepoint(_ body: () throws -> Void) throws {
        savepoints += 1
        let name = "upman_\(savepoints)"
        defer { savepoints -= 1 }
        try run("SAVEPOINT \(name)", [])
        do {
            try body()
        } catch {
            do {
                _ = try link.query("ROLLBACK TO SAVEPOINT \(name)", [])
                _ = try link.query("RELEASE SAVEPOINT \(name)", [])
            } catch {
                aborted = true
            }
            throw error
        }
        try run("RELEASE SAVEPOINT \(name)", [])
    }

    var isInsideTransaction: Bool { !aborted }

    func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT to_regclass(?) IS NOT NULL", [name.lowercased()]) ?? false
    }

    func columnNames(in table: String) throws -> [String] {
        try column("SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table.lowercased()])
    }

    /// Takes the transaction's ids from the one-row `event_position` table: the UPDATE holds that
    /// row's lock until COMMIT, so a second transaction that appends events waits for the first
    /// to commit before it takes its ids. Ids are therefore given in commit order, with no gap
    /// (a rolled-back transaction rolls its ids back too), which a sequence does not promise: a
    /// reader at "id > N" never misses a row that commits later with a smaller id. The events are
    /// written last in the transaction, so the lock is held only from here to COMMIT. A
    /// notification on ``eventChannel`` (sent at COMMIT) wakes the other instances. Taking the ids,
    /// inserting the rows and notifying are one statement, one round trip per 500 events.
    func appendEvents(_ events: inout [UploadEvent]) throws {
        var next = events.startIndex
        while next < events.endIndex {
            let chunk = next..<min(next + 500, events.endIndex)
            let last = try append(events[chunk])
            var id = last - Int64(chunk.count)
            for index in chunk {
                id += 1
                events[index].id = id
            }
            next = chunk.upperBound
        }
    }

    /// Takes ids for `events`, inserts them and notifies, in one statement (one round trip);
    /// answers the last id taken.
    private func append(_ events: ArraySlice<UploadEvent>) throws -> Int64 {
        var arguments: [any SQLBindable] = [events.count, events.count]
        arguments.reserveCapacity(events.count * 8 + 3)
        for (ord, event) in events.enumerated() {
            arguments += [
                ord + 1, event.kind.rawValue, event.entityId, event.groupId, event.userId, event.deleted, event.data,
                Timestamp.millis(event.createdAt),
            ] as [any SQLBindable]
        }
        arguments.append(Self.eventChannel)
        let row = "(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), "
            + "CAST(? AS BOOLEAN), CAST(? AS TEXT), CAST(? AS BIGINT))"
        let sql = """
            WITH position AS (UPDATE event_position SET last = last + ? RETURNING last),
                 added AS (
                   INSERT INTO events (id, kind, entityId, groupId, userId, deleted, data, createdAt)
                   SELECT position.last - ? + v.ord, v.kind, v.entityId, v.groupId, v.userId, v.deleted, v.data, v.createdAt
                   FROM position, (VALUES \(Array(repeating: row, count: events.count).joined(separator: ", ")))
                     AS v (ord, kind, entityId, groupId, userId, deleted, data, createdAt)
                   RETURNING id)
            SELECT position.last AS last, pg_notify(?, CAST(position.last AS TEXT)) FROM position
            """
        guard let last: Int64 = try fetchOne(sql, arguments)?["last"] else {
            throw UploadError(.storeUnavailable, "the event_position row is missing")
        }
        return last
    }

    /// PostgreSQL keeps its own pages whole (with checksums when the cluster has them); upman
    /// checks its invariants with ``StoreAudit``. The check here says that the database answers.
    func integrityCheck() throws -> String {
        let one: Int = try scalar("SELECT 1") ?? 0
        return one == 1 ? "ok" : "the database did not answer SELECT 1"
    }
}
