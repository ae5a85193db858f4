import Foundation
import GRDB
import UploadModel

/// ``SQLDatabase`` over one GRDB connection. Every statement is prepared once and cached by its
/// text (GRDB's statement cache), so the write path's few statements are parsed once per
/// connection.
final class GRDBConnection: SQLDatabase {
    /// The GRDB connection.
    let db: Database

    /// Wraps `db`, which must only be used on its own GRDB queue while this lives.
    init(_ db: Database) {
        self.db = db
    }

    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            for index in 0..<columns.count {
                values.append(Self.value(row[index] as DatabaseValue))
            }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return rows
    }

    func inSavepoint(_ body: () throws -> Void) throws {
        try db.inSavepoint {
            try body()
            return .commit
        }
    }

    var isInsideTransaction: Bool { db.isInsideTransaction }

    func tableExists(_ name: String) throws -> Bool {
        try db.tableExists(name)
    }

    func columnNames(in table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
    }

    /// SQLite's AUTOINCREMENT ids: the one writer commits transactions one after another, so ids
    /// come in commit order and are never reused.
    func appendEvents(_ events: inout [UploadEvent]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO events (kind, entityId, groupId, userId, deleted, data, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for index in events.indices {
            let event = events[index]
            try statement.execute(arguments: [
                event.kind.rawValue, event.entityId, event.groupId, event.userId, event.deleted, event.data,
                Timestamp.millis(event.createdAt),
            ])
            events[index].id = db.lastInsertedRowID
        }
    }

    /// SQLite's `PRAGMA integrity_check`.
    func integrityCheck() throws -> String {
        try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
    }

    private static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value.sqlValue {
            case .null: nil
            case .integer(let number): number
            case .real(let number): number
            case .text(let text): text
            case .boolean(let flag): flag
            }
        })
    }

    private static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }
}
