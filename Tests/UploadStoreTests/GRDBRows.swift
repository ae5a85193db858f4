import GRDB
@testable import UploadStore

/// Reads whole tables as text for comparisons in tests.
enum GRDBRows {
    static func all(_ snapshot: UploadSnapshot, table: String) throws -> [String] {
        try Row.fetchAll(snapshot.grdb, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\($0)" }
    }
}

extension UploadSnapshot {
    /// The GRDB connection under a SQLite snapshot.
    var grdb: Database { (db as! GRDBConnection).db }
}

extension StoreTransaction {
    /// The GRDB connection under a SQLite transaction.
    var grdb: Database { (db as! GRDBConnection).db }
}
