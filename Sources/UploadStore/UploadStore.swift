import Foundation
import GRDB
import UploadModel

/// The upman database: one SQLite file in WAL mode (the embedded default), or a PostgreSQL
/// database that several instances share; written in transactions that record their events.
public final class UploadStore: Sendable {
    /// Where the database is: the SQLite file's path, or the PostgreSQL URL without its password.
    public let path: String
    /// Read-only queries over the same database (they never block the writer).
    public let reader: UploadReader
    /// The engine underneath.
    let engine: any StoreEngine
    /// Queues ``transaction(actedBy:at:_:)`` calls and commits them in groups.
    let batcher: WriteBatcher

    /// Opens (creating if needed) the SQLite database at `path` and runs the migrations.
    public convenience init(path: String, options: StoreOptions = StoreOptions()) throws {
        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.maximumReaderCount = options.maximumReaders
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try StoreSchema.migrator.migrate(pool)
        } catch {
            throw StoreError.wrap(error, doing: "open \(path)")
        }
        self.init(engine: SQLiteEngine(pool: pool), location: path)
    }

    /// A store over `engine`, whose schema is already migrated.
    init(engine: any StoreEngine, location: String) {
        self.path = location
        self.engine = engine
        reader = UploadReader(engine)
        batcher = WriteBatcher(engine: engine)
    }

    /// Opens the database `location` names: a `postgres://` or `postgresql://` URL (see
    /// ``DatabaseURL``), else a SQLite file's path.
    public static func open(_ location: String, options: StoreOptions = StoreOptions()) throws -> UploadStore {
        if let url = DatabaseURL(location) {
            return try UploadStore(postgres: url, options: options)
        }
        return try UploadStore(path: location, options: options)
    }

    /// The SQL dialect of the database underneath.
    public var dialect: SQLDialect { engine.dialect }

    /// Calls `observer` with the events of every write, after the commit that holds them: once per
    /// request, in commit order (a batch's requests one after another, in id order), on the writer
    /// before the next transaction begins. Observers must return at once and must not write.
    public func onCommit(_ observer: @escaping @Sendable ([UploadEvent]) -> Void) {
        batcher.addObserver(observer)
    }

    /// Runs `body` as one immediate transaction on behalf of `actedBy`, then flushes derived
    /// counters and statuses, commits, and tells the commit observers. Changes are stamped with
    /// `time` (default: now).
    ///
    /// Anything thrown rolls the whole transaction back: the database is left as it was.
    @discardableResult
    public func write<T>(
        actedBy: String, at time: Date? = nil, _ body: (StoreTransaction) throws -> T
    ) throws -> T {
        let now = time.map(Timestamp.truncated) ?? Timestamp.now()
        do {
            return try engine.write({ db -> (T, [UploadEvent]) in
                let tx = StoreTransaction(db: db, actedBy: actedBy, now: now)
                let result = try body(tx)
                try tx.flush()
                var events = tx.events
                try db.appendEvents(&events)
                return (result, events)
            }, afterCommit: { batcher.announce($0.1) }).0
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
    }

    /// The asynchronous form of ``write(actedBy:at:_:)``, with group commit: concurrent calls queue
    /// for the one writer, which runs every waiting body (up to 64) in one immediate transaction,
    /// each in its own savepoint with its own derived counters and events (see ``WriteBatcher``).
    /// A lone call runs at once. Returns only after the commit that holds the change.
    ///
    /// Anything `body` throws rolls back its own changes and events alone, and is thrown here; the
    /// batch's other requests commit. If the batch cannot commit, every request in it gets the
    /// error and the database is left as before the batch. It never blocks a thread of the
    /// caller's executor.
    @discardableResult
    public func transaction<T: Sendable>(
        actedBy: String, at time: Date? = nil, _ body: @escaping @Sendable (StoreTransaction) throws -> T
    ) async throws -> T {
        let now = time.map(Timestamp.truncated) ?? Timestamp.now()
        return try await withCheckedThrowingContinuation { (caller: CheckedContinuation<T, any Error>) in
            batcher.submit(PendingWrite(
                actedBy: actedBy, now: now,
                body: { tx in
                    let value = try body(tx)
                    return { caller.resume(returning: value) }
                },
                fail: { caller.resume(throwing: $0) }))
        }
    }

    /// Records facts about the serving process for readers (the dashboard's inspector), e.g.
    /// `storage` = where objects are kept. One transaction; no event.
    public func setServerInfo(_ info: [String: String]) throws {
        do {
            try engine.write({ db in
                for (key, value) in info {
                    try db.execute("""
                        INSERT INTO server_info (key, value) VALUES (?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        """, [key, value])
                }
            }, afterCommit: { _ in })
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
    }

    /// Checks the database's own integrity (SQLite's `integrity_check`); "ok" when sound.
    public func integrityCheck() throws -> String {
        try reader.snapshot { try $0.integrityCheck() }
    }
}
