import Foundation
import GRDB
import UploadModel

/// The upman database: one SQLite file in WAL mode, written in transactions that record their events.
public final class UploadStore: Sendable {
    /// The database file's path.
    public let path: String
    /// Read-only queries over the same pool (they never block the writer).
    public let reader: UploadReader
    private let pool: DatabasePool
    /// Queues ``transaction(actedBy:at:_:)`` calls and commits them in groups.
    let batcher: WriteBatcher

    /// Opens (creating if needed) the database at `path` and runs the migrations.
    public init(path: String, options: StoreOptions = StoreOptions()) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.maximumReaderCount = options.maximumReaders
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try StoreSchema.migrator.migrate(pool)
        } catch {
            throw StoreError.wrap(error, doing: "open \(path)")
        }
        reader = UploadReader(pool)
        batcher = WriteBatcher(pool: pool)
    }

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
        let outcome: (T, [UploadEvent])
        do {
            outcome = try pool.writeWithoutTransaction { db in
                let outcome = try Self.run(db, actedBy: actedBy, now: now, body)
                batcher.announce(outcome.1)
                return outcome
            }
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
        return outcome.0
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

    /// One immediate transaction: the body, then the derived counters, then commit.
    private static func run<T>(
        _ db: Database, actedBy: String, now: Date, _ body: (StoreTransaction) throws -> T
    ) throws -> (T, [UploadEvent]) {
        var result: T?
        var events: [UploadEvent] = []
        try db.inTransaction(.immediate) {
            let tx = StoreTransaction(db: db, actedBy: actedBy, now: now)
            result = try body(tx)
            try tx.flush()
            events = tx.events
            return .commit
        }
        return (result!, events)
    }

    /// Records facts about the serving process for readers (the dashboard's inspector), e.g.
    /// `storage` = where objects are kept. One transaction; no event.
    public func setServerInfo(_ info: [String: String]) throws {
        do {
            try pool.write { db in
                for (key, value) in info {
                    try db.execute(sql: "INSERT OR REPLACE INTO server_info (key, value) VALUES (?, ?)", arguments: [key, value])
                }
            }
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
    }

    /// Checks the file with SQLite's `integrity_check`; returns "ok" when sound.
    public func integrityCheck() throws -> String {
        try reader.snapshot { try $0.integrityCheck() }
    }
}
