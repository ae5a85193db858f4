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
    /// notification on ``eventChannel`` (sent at COMMIT) wakes the other instances.
    func appendEvents(_ events: inout [UploadEvent]) throws {
        guard !events.isEmpty else { return }
        let last: Int64 = try scalar("UPDATE event_position SET last = last + ? RETURNING last", [events.count]) ?? 0
        var id = last - Int64(events.count)
        for index in events.indices {
            id += 1
            events[index].id = id
        }
        for chunk in stride(from: 0, to: events.count, by: 500) {
            let slice = events[chunk..<min(chunk + 500, events.count)]
            var arguments: [any SQLBindable] = []
            arguments.reserveCapacity(slice.count * 8)
            for event in slice {
                arguments += [
                    event.id, event.kind.rawValue, event.entityId, event.groupId, event.userId, event.deleted, event.data,
                    Timestamp.millis(event.createdAt),
                ] as [any SQLBindable]
            }
            let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: slice.count).joined(separator: ", ")
            try execute("INSERT INTO events (id, kind, entityId, groupId, userId, deleted, data, createdAt) VALUES \(rows)", arguments)
        }
        try execute("SELECT pg_notify(?, ?)", [Self.eventChannel, String(last)])
    }

    /// PostgreSQL keeps its own pages whole (with checksums when the cluster has them); upman
    /// checks its invariants with ``StoreAudit``. The check here says that the database answers.
    func integrityCheck() throws -> String {
        let one: Int = try scalar("SELECT 1") ?? 0
        return one == 1 ? "ok" : "the database did not answer SELECT 1"
    }
}
