import Foundation
import Logging
import PostgresNIO
import Synchronization
import UploadModel

/// ``StoreEngine`` over a PostgreSQL database that several upman instances share.
///
/// - Writes run on one connection per process, one transaction at a time (the write batcher's
///   group commit fills each), and every write transaction first takes a transaction-level
///   advisory lock (``PostgresSchema/writerLock``): the instances' writers take turns, as
///   SQLite's one writer does. This keeps the read-modify-write of derived counters (a session's
///   parts, a group's tallies) free of lost updates without row locks whose order could deadlock;
///   what scales with instances is everything around the writes: bytes, reads, feeds, jobs.
/// - Reads run on a small pool of connections, each read in one REPEATABLE READ, READ ONLY
///   transaction (one consistent snapshot), on threads of the engine's own.
final class PostgresEngine: StoreEngine, @unchecked Sendable {
    /// The database.
    let url: DatabaseURL
    private let writer: PostgresLink
    private let writeLock = NSLock()
    private let idle = Mutex<[PostgresLink]>([])
    private let slots: DispatchSemaphore
    private let readQueue = DispatchQueue(label: "upman.store.postgres.read", attributes: .concurrent)
    /// The connection holding the leader's advisory lock, while this process leads.
    private let leader = Mutex<PostgresLink?>(nil)

    /// Connects to `url`, runs the migrations it has not had (unless `migrate` is false: then a
    /// database without upman's schema is `notFound`), and keeps up to `maximumReaders` reader
    /// connections.
    init(url: DatabaseURL, maximumReaders: Int, migrate: Bool = true) throws {
        self.url = url
        writer = try PostgresLink(url)
        if migrate {
            try PostgresSchema.migrate(writer)
        } else {
            let (rows, _) = try writer.query("SELECT to_regclass('upman_migrations') IS NOT NULL AS migrated", [])
            guard try rows.first?["migrated"] ?? false else {
                throw UploadError(.notFound, "\(url.redacted) is not an upman database")
            }
        }
        slots = DispatchSemaphore(value: max(maximumReaders, 1))
    }

    var dialect: SQLDialect { .postgres }

    func write<T>(_ body: (any SQLDatabase) throws -> T, afterCommit: (T) -> Void) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        let result = try transaction(writer, begin: "BEGIN") { db in
            try db.execute("SELECT pg_advisory_xact_lock(?)", [PostgresSchema.writerLock])
            return try body(db)
        }
        afterCommit(result)
        return result
    }

    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let link = try idle.withLock { $0.popLast() } ?? PostgresLink(url)
        // The link goes back either way: one whose connection failed connects again at its next BEGIN.
        defer { idle.withLock { $0.append(link) } }
        return try transaction(link, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readQueue.async {
                continuation.resume(with: Result { try self.read(body) })
            }
        }
    }

    /// Runs `body` between `begin` and COMMIT on `link`; rolls back when it throws.
    private func transaction<T>(_ link: PostgresLink, begin: String, _ body: (PostgresSQLConnection) throws -> T) throws -> T {
        do {
            _ = try link.query(begin, [], reconnect: true)
        } catch {
            throw PostgresFailure.wrap(error, doing: "begin a transaction")
        }
        let db = PostgresSQLConnection(link)
        do {
            let result = try body(db)
            guard db.isInsideTransaction else {
                throw UploadError(.storeUnavailable, "the transaction was aborted by an earlier error")
            }
            _ = try link.query("COMMIT", [])
            return result
        } catch {
            _ = try? link.query("ROLLBACK", [])
            throw PostgresFailure.wrap(error, doing: "a transaction")
        }
    }

    /// Whether this process leads (runs the sweeper and the reconciler): it holds the session-level
    /// advisory lock ``PostgresSchema/leaderLock`` on a connection of its own, taken now if no
    /// other process holds it. The lock goes with the connection, so when the leader dies (or its
    /// connection does), the next process to ask takes over. Blocks the calling thread.
    func lead() -> Bool {
        leader.withLock { held in
            if let link = held {
                if (try? link.query("SELECT 1", [])) != nil { return true }
                link.close()
                held = nil
            }
            guard let link = try? PostgresLink(url),
                  let rows = try? link.query("SELECT pg_try_advisory_lock(?) AS taken", [PostgresSchema.leaderLock]).0,
                  (try? rows.first?["taken"] as Bool?) == true
            else { return false }
            held = link
            return true
        }
    }

    /// Calls `wake` with the newest id whenever another process (or this one) commits events (nil
    /// after connecting, when some may have been missed), until the task is cancelled: LISTEN on ``PostgresSQLConnection/eventChannel`` over a connection of its own,
    /// opened again after a failure.
    func watchCommits(_ wake: @escaping @Sendable (Int64?) -> Void) async {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        var logger = Logger(label: "upman.postgres.listen")
        logger.logLevel = .critical
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                defer { Task { try? await connection.close() } }
                wake(nil)
                try await connection.listen(on: PostgresSQLConnection.eventChannel) { notifications in
                    for try await notification in notifications { wake(Int64(notification.payload)) }
                }
            } catch {
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Closes every connection.
    func close() {
        writeLock.lock()
        writer.close()
        writeLock.unlock()
        for link in idle.withLock({ links in defer { links.removeAll() }; return links }) { link.close() }
        leader.withLock { held in
            held?.close()
            held = nil
        }
    }
}
