import Foundation
import Testing
import UploadModel
@testable import UploadStore

/// A store in a fresh temporary folder; checks integrity and invariants when the test is done.
final class TestDatabase: Sendable {
    let directory: URL
    let store: UploadStore
    var path: String { directory.appendingPathComponent("upman.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("upman-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try UploadStore(path: directory.appendingPathComponent("upman.db").path)
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
                let rows = try GRDBRows.all(snapshot, table: table)
                lines += rows.map { "\(table): \($0)" }
            }
            return lines
        }
    }
}
