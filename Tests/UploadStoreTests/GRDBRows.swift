import GRDB
@testable import UploadStore

/// Reads whole tables as text for comparisons in tests.
enum GRDBRows {
    static func all(_ snapshot: UploadSnapshot, table: String) throws -> [String] {
        try Row.fetchAll(snapshot.db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\($0)" }
    }
}
