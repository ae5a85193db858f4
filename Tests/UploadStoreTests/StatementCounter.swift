import Foundation
import GRDB
import GRDBSQLite

/// Collects the SQL statements a connection runs while tracing (GRDB's `Database.trace`), and
/// counts the pages they asked of SQLite's page cache (hits and misses: what they read).
final class StatementCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    /// Pages requested from the cache while recording.
    private(set) var pages: Int32 = 0

    /// Runs `body` with every statement of `db` recorded.
    func record<T>(_ db: Database, _ body: () throws -> T) rethrows -> T {
        db.trace { event in
            if case .statement(let statement) = event {
                let sql = statement.sql
                self.lock.withLock { self.collected.append(sql) }
            }
        }
        defer { db.trace(nil) }
        _ = Self.pageRequests(db, reset: true)
        defer { pages = Self.pageRequests(db, reset: false) }
        return try body()
    }

    /// Cache hits plus misses of the connection since the last reset.
    private static func pageRequests(_ db: Database, reset: Bool) -> Int32 {
        var total: Int32 = 0
        for kind in [SQLITE_DBSTATUS_CACHE_HIT, SQLITE_DBSTATUS_CACHE_MISS] {
            var current: Int32 = 0
            var highest: Int32 = 0
            sqlite3_db_status(db.sqliteConnection, kind, &current, &highest, reset ? 1 : 0)
            total += current
        }
        return total
    }

    /// The statements recorded so far.
    var statements: [String] { lock.withLock { collected } }
}
