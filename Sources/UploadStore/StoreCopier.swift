import Foundation
import UploadModel

/// Copies an upman database into another, empty one, table by table and row by row, keeping
/// every id (event ids among them, so feeds resume where they were): `upman migrate-db` moves a
/// SQLite database into PostgreSQL with it. The target is written in one transaction, so a
/// failure leaves it empty; then it is audited.
public enum StoreCopier {
    /// The tables in an order that satisfies their references, with each one's key column.
    static let tables: [(name: String, key: String)] = [
        ("upload_groups", "id"), ("upload_sessions", "id"), ("file_parts", "id"), ("processing_jobs", "id"),
        ("tus_uploads", "sessionId"), ("group_tallies", "groupId || '/' || status"), ("tokens", "hash"),
        ("server_info", "key"), ("events", "id"),
    ]
    /// Columns that SQLite keeps as 0 or 1 and PostgreSQL as BOOLEAN.
    static let booleanColumns: Set<String> = ["deleted", "admin", "lengthdeferred"]
    /// Rows read and written per statement.
    static let page = 500

    /// What a copy moved: rows per table.
    public struct Report: Sendable, Equatable {
        /// Rows copied, by table.
        public var rows: [String: Int] = [:]
    }

    /// Copies every row of `source` into `target`, which must hold no group, token or event.
    ///
    /// - Throws: `conflict` when the target is not empty; what reading or writing throws (the
    ///   target is then left as it was).
    @discardableResult
    public static func copy(from source: UploadStore, to target: UploadStore, progress: (String, Int) -> Void = { _, _ in }) throws -> Report {
        var report = Report()
        try target.engine.write({ out in
            let present: Int = try out.scalar(
                "SELECT (SELECT count(*) FROM upload_groups) + (SELECT count(*) FROM tokens) + (SELECT count(*) FROM events)") ?? 0
            guard present == 0 else {
                throw UploadError(.conflict, "the target database already holds uploads, tokens or events; copy into an empty one")
            }
            try source.engine.read { from in
                for table in tables where try from.tableExists(table.name) {
                    let count = try copy(table, from: from, to: out) { progress(table.name, $0) }
                    report.rows[table.name] = count
                }
            }
            if out.dialect == .postgres {
                try out.execute("UPDATE event_position SET last = (SELECT coalesce(max(id), 0) FROM events)")
            }
        }, afterCommit: { _ in })
        return report
    }

    /// Copies one table in pages ordered by its key; answers how many rows.
    private static func copy(
        _ table: (name: String, key: String), from: any SQLDatabase, to out: any SQLDatabase, progress: (Int) -> Void
    ) throws -> Int {
        var copied = 0
        var after: SQLValue?
        while true {
            let rows: [SQLRow]
            let keyed = "SELECT *, \(table.key) AS copy_key FROM \(table.name)"
            if let after {
                rows = try from.fetchAll("\(keyed) WHERE \(table.key) > ? ORDER BY \(table.key) LIMIT ?", [after, page])
            } else {
                rows = try from.fetchAll("\(keyed) ORDER BY \(table.key) LIMIT ?", [page])
            }
            guard let first = rows.first else { return copied }
            let columns = first.columns.filter { $0.lowercased() != "copy_key" }
            let names = columns.map { $0.lowercased() == "offset" ? "\"offset\"" : $0 }.joined(separator: ", ")
            let marks = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            var arguments: [any SQLBindable] = []
            arguments.reserveCapacity(rows.count * columns.count)
            for row in rows {
                for column in columns {
                    var value = row.value(column)
                    if booleanColumns.contains(column.lowercased()), case .integer(let number) = value { value = .boolean(number != 0) }
                    arguments.append(value)
                }
            }
            try out.execute(
                "INSERT INTO \(table.name) (\(names)) VALUES \(Array(repeating: marks, count: rows.count).joined(separator: ", "))",
                arguments)
            copied += rows.count
            progress(copied)
            after = rows.last?.value("copy_key")
            if rows.count < page { return copied }
        }
    }
}
