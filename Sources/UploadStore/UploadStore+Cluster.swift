import Foundation
import UploadModel

extension UploadStore {
    /// Whether several processes may share this database (PostgreSQL).
    public var isShared: Bool { engine.dialect == .postgres }

    /// Closes the database connections of a PostgreSQL store (a later call opens them again);
    /// nothing on SQLite, whose file GRDB closes with the store.
    public func close() {
        (engine as? PostgresEngine)?.close()
    }

    /// Whether this process leads the processes sharing the database, and so runs the sweeper and
    /// the reconciler: always on SQLite (one process); on PostgreSQL the holder of an advisory
    /// lock, taken over by another process when the leader dies (see ``PostgresEngine/lead()``).
    /// Runs on a thread of its own; the calling task suspends.
    public func isLeader() async -> Bool {
        guard let postgres = engine as? PostgresEngine else { return true }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: postgres.lead()) }
        }
    }

    /// Calls `wake` whenever events are committed by any process sharing the database (with the
    /// newest id committed, when the notification says it), until the task is cancelled; returns
    /// at once on SQLite, where ``onCommit(_:)`` hears every commit.
    public func watchCommits(_ wake: @escaping @Sendable (Int64?) -> Void) async {
        guard let postgres = engine as? PostgresEngine else { return }
        await postgres.watchCommits(wake)
    }

    /// The secret `name` that every process sharing the database uses (the URL signing key):
    /// made by `make` and stored by the first process to ask, read by the others.
    ///
    /// - Throws: a store error when it cannot be written or read.
    public func sharedSecret(_ name: String, make: () -> Data) throws -> Data {
        let fresh = make().base64EncodedString()
        do {
            _ = try engine.write({ db in
                try db.execute(
                    "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, fresh])
            }, afterCommit: { _ in })
            let stored: String? = try engine.read { db in try db.scalar("SELECT value FROM server_secrets WHERE name = ?", [name]) }
            return Data(base64Encoded: stored ?? fresh) ?? Data(base64Encoded: fresh)!
        } catch {
            throw StoreError.wrap(error, doing: "read the shared secret \(name)")
        }
    }
}
