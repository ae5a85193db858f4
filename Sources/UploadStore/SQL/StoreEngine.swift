/// Where the store keeps its rows: transactions on one writer and consistent read snapshots, over
/// SQLite (``SQLiteEngine``) or PostgreSQL (``PostgresEngine``). The repositories and queries
/// above it are written once against ``SQLDatabase``.
protocol StoreEngine: Sendable {
    /// The SQL the engine speaks where engines differ.
    var dialect: SQLDialect { get }

    /// Runs `body` in one write transaction on the engine's writer, blocking the calling thread
    /// (never a thread of the cooperative pool or an event loop), then commits; `afterCommit`
    /// runs once the commit is durable, while this process still holds the writer, so that what
    /// it announces comes in commit order. Anything thrown rolls the transaction back.
    func write<T>(_ body: (any SQLDatabase) throws -> T, afterCommit: (T) -> Void) throws -> T

    /// Runs `body` on one consistent read snapshot, blocking the calling thread.
    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T

    /// Runs `body` on one consistent read snapshot on a thread of the engine's own; the calling
    /// task suspends meanwhile.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
}
