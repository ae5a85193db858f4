import GRDB

/// ``StoreEngine`` over a SQLite file through GRDB: a pool in WAL mode (one writer, concurrent
/// readers that never block it), or a read-only queue for another process.
final class SQLiteEngine: StoreEngine {
    /// The connection(s) reads run on.
    let reader: any DatabaseReader
    /// The pool writes run on; nil for a read-only engine.
    let pool: DatabasePool?

    /// An engine reading and writing through `pool`.
    init(pool: DatabasePool) {
        self.reader = pool
        self.pool = pool
    }

    /// A read-only engine over `reader`.
    init(readOnly reader: any DatabaseReader) {
        self.reader = reader
        self.pool = nil
    }

    var dialect: SQLDialect { .sqlite }

    func write<T>(_ body: (any SQLDatabase) throws -> T, afterCommit: (T) -> Void) throws -> T {
        guard let pool else { throw DatabaseError(resultCode: .SQLITE_READONLY, message: "opened read-only") }
        return try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(GRDBConnection(db))
                return .commit
            }
            afterCommit(result!)
            return result!
        }
    }

    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        try reader.read { db in try body(GRDBConnection(db)) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await reader.read { db in try body(GRDBConnection(db)) }
    }
}
