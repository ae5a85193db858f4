import Dashboard
import Foundation
import Testing
import UploadModel
import UploadStore

/// The dashboard over a real database written by the fixture generator.
@Suite struct ReaderSourceTests {
    @Test func firstFrameFromAFixtureDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("upman.db").path
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let store = try UploadStore(path: path)
        let report = try FixtureGenerator(options: FixtureOptions(groups: 40, filesPerGroup: 5, seed: 3, now: now)).write(into: store)
        let source = try ReaderSource(path: path)
        let board = try Dashboard(source: source, now: now)
        #expect(board.lastEventId == report.events)
        let text = board.render(width: 160, height: 48, now: now).text
        #expect(text.contains("40 groups"))
        #expect(text.contains("Files of"))
        // Walk every group: each selection loads its files without error.
        for _ in 0..<40 { _ = board.handle(.down, now: now) }
        #expect(board.selectedGroupId != nil)
        #expect(board.status == nil)
    }

    @Test func problemsHistorySumsAndInspectionFromARealDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("upman.db").path
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let store = try UploadStore(path: path)
        _ = try FixtureGenerator(options: FixtureOptions(groups: 30, filesPerGroup: 6, seed: 5, now: now)).write(into: store)
        try store.setServerInfo(["storage": "disk /data/storage/objects"])
        let source = try ReaderSource(path: path)
        let cutoff = now.addingTimeInterval(-Dashboard.stallAfter)
        let problems = try source.problems(stalledBefore: cutoff, limit: 10_000)
        #expect(!problems.isEmpty)
        #expect(try source.problemCount(stalledBefore: cutoff) == problems.count)
        #expect(zip(problems, problems.dropFirst()).allSatisfy { $0.time >= $1.time }, "newest first")
        let all = try source.groups(GroupQuery(limit: 1_000))
        let sums = try source.groupSums()
        #expect(sums.groups == 30 && sums.counters.totalFiles == all.reduce(0) { $0 + $1.plannedFiles })
        #expect(sums.counters.bytesUploaded == all.reduce(0) { $0 + $1.bytesUploaded })
        guard case .session(let session)? = problems.first(where: { if case .session = $0.subject { true } else { false } })?.subject else {
            Issue.record("no session among the problems")
            return
        }
        let inspection = try source.inspect(.session(session.id), historyLimit: 100)
        #expect(inspection.entity == .session(session))
        #expect(inspection.storage == "disk /data/storage/objects")
        #expect(inspection.groupName != nil)
        #expect(!inspection.history.isEmpty)
        #expect(inspection.history.allSatisfy { $0.entityId == session.id })
        #expect(zip(inspection.history, inspection.history.dropFirst()).allSatisfy { $0.id < $1.id }, "oldest first")
        // An operator's delete is in the history with who did it.
        _ = try store.write(actedBy: "admin:carol") { tx in try tx.sessions.delete(session.id) }
        let gone = try source.inspect(.session(session.id), historyLimit: 100)
        #expect(gone.entity == nil)
        #expect(try gone.history.last?.change() == .deleted(DeletedEntity(kind: .session, id: session.id, groupId: session.groupId, actedBy: "admin:carol")))
    }
}
