import Foundation
import GRDB
import Synchronization
import UploadModel

/// The upman database: one SQLite file in WAL mode, written in transactions that record their events.
public final class UploadStore: Sendable {
    /// The database file's path.
    public let path: String
    /// Read-only queries over the same pool (they never block the writer).
    public let reader: UploadReader
    private let pool: DatabasePool
    private let observers = Mutex<[@Sendable ([UploadEvent]) -> Void]>([])

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
    }

    /// Calls `observer` with the events of every transaction, after it commits.
    public func onCommit(_ observer: @escaping @Sendable ([UploadEvent]) -> Void) {
        observers.withLock { $0.append(observer) }
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
                announce(outcome.1)
                return outcome
            }
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
        return outcome.0
    }

    /// The asynchronous form of ``write(actedBy:at:_:)``: waits for the writer without
    /// blocking a thread of the caller's executor.
    @discardableResult
    public func transaction<T: Sendable>(
        actedBy: String, at time: Date? = nil, _ body: @escaping @Sendable (StoreTransaction) throws -> T
    ) async throws -> T {
        let now = time.map(Timestamp.truncated) ?? Timestamp.now()
        let outcome: (T, [UploadEvent])
        do {
            outcome = try await pool.writeWithoutTransaction { db in
                let outcome = try Self.run(db, actedBy: actedBy, now: now, body)
                self.announce(outcome.1)
                return outcome
            }
        } catch {
            throw StoreError.wrap(error, doing: "write")
        }
        return outcome.0
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

    /// Tells the commit observers about a committed transaction's events. It runs on the writer,
    /// right after the commit and before the next transaction may begin, so observers see events
    /// in commit order (announcing after the writer returned let two writers' batches cross, and
    /// the live feed, which never goes back to a lower id, lost the later-announced one). Observers
    /// must return at once and must not write.
    private func announce(_ events: [UploadEvent]) {
        guard !events.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(events) }
    }

    /// Checks the file with SQLite's `integrity_check`; returns "ok" when sound.
    public func integrityCheck() throws -> String {
        try reader.integrityCheck()
    }
}
