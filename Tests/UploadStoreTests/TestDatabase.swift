import Foundation
import TestSupport
import Testing
import UploadModel
@testable import UploadStore

/// The engines a store test runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A store in a fresh temporary folder (SQLite) or a fresh database of the test PostgreSQL
/// server; checks integrity and invariants when the test is done.
final class TestDatabase: Sendable {
    let directory: URL
    let store: UploadStore
    let kind: StoreKind
    /// The SQLite file, or the PostgreSQL URL.
    let path: String

    /// A SQLite store in a fresh folder.
    convenience init() throws {
        try self.init(postgres: nil)
    }

    /// A store in a fresh PostgreSQL database at `url`, or (nil) a SQLite one.
    init(postgres url: String?) throws {
        kind = url == nil ? .sqlite : .postgres
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("upman-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = url ?? directory.appendingPathComponent("upman.db").path
        store = try UploadStore.open(path)
    }

    /// A fresh store on `kind`: a PostgreSQL one in a new database of the test server.
    static func make(_ kind: StoreKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite: try TestDatabase()
        case .postgres: try TestDatabase(postgres: try await PostgresServer.shared.freshDatabase())
        }
    }

    /// Another store over the same database (another instance, for PostgreSQL).
    func reopen() throws -> UploadStore {
        try UploadStore.open(path)
    }

    /// Asserts `PRAGMA integrity_check` is ok and every invariant holds.
    func verify(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try store.integrityCheck() == "ok", sourceLocation: sourceLocation)
        #expect(try store.reader.snapshot { try $0.audit() } == [], sourceLocation: sourceLocation)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Creates a group with one session of `size` bytes planned by the default planner.
    @discardableResult
    func makeSession(
        size: Int64, user: String = "alice", groupId: String = "grp_1", sessionId: String = "ses_1",
        partSize: Int64? = nil
    ) throws -> UploadSession {
        try store.write(actedBy: user) { tx in
            if try tx.groups.find(groupId) == nil {
                try tx.groups.create(UploadGroup(id: groupId, userId: user, name: "batch", createdAt: tx.now))
            }
            let plan = try PartPlanner().plan(fileSize: size, partSize: partSize)
            return try tx.sessions.create(UploadSession(
                id: sessionId, groupId: groupId, userId: user, fileName: "\(sessionId).bin", size: size,
                objectKey: ObjectKey.make(userId: user, groupId: groupId, sessionId: sessionId, fileName: "f"),
                method: plan.method, partSize: plan.partSize, totalParts: plan.totalParts, createdAt: tx.now))
        }
    }

    /// Every row of every table, as text: equal dumps mean equal databases.
    func dump() throws -> [String] {
        try Self.dump(store)
    }

    /// Every row of every table of `store`, as text.
    static func dump(_ store: UploadStore) throws -> [String] {
        try store.reader.snapshot { snapshot in
            var lines: [String] = []
            for table in ["upload_groups", "upload_sessions", "file_parts", "processing_jobs", "events"] {
                let rows = try snapshot.db.fetchAll("SELECT * FROM \(table) ORDER BY id")
                lines += rows.map { "\(table): \($0)" }
            }
            return lines
        }
    }
}
