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
}
