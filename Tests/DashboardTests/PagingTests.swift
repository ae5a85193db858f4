import Dashboard
import Foundation
import Testing
import UploadModel

/// The Groups pane over more groups than it holds: true counts, pages read as the operator
/// scrolls, filters searched in the source, order kept as events arrive.
@Suite struct PagingTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func many(_ count: Int) -> StaticSource {
        let source = StaticSource()
        source.groups = (0..<count).map { n in
            UploadGroup(id: String(format: "grp_%05d", n), userId: "u", name: String(format: "batch-%05d", n),
                        status: .completed, totalFiles: 1, completedFiles: 1, totalBytes: 10, bytesUploaded: 10,
                        createdAt: now - Double(count - n), lastActivityAt: now - Double(count - n))
        }
        return source
    }

    @Test func theTitleShowsTheTrueCountAndTheEndIsReachable() throws {
        let board = try Dashboard(source: many(5_000), now: now)
        #expect(board.render(width: 120, height: 34, now: now).text.contains("Groups 5,000"))
        #expect(board.selectedGroup?.name == "batch-04999")
        _ = board.handle(.character("G"), now: now)
        #expect(board.selectedGroup?.name == "batch-00000")
        let text = board.render(width: 120, height: 34, now: now).text
        #expect(text.contains("/5,000"))
        _ = board.handle(.pageUp, now: now)
        #expect(board.selectedGroup.map { $0.name > "batch-00000" } == true)
        _ = board.handle(.character("g"), now: now)
        #expect(board.selectedGroup?.name == "batch-04999")
    }

    @Test func theFilterSearchesEveryGroupNotOnlyThoseHeld() throws {
        let board = try Dashboard(source: many(5_000), now: now)
        for key: Key in [.character("/")] + "00017".map({ Key.character($0) }) + [.enter] { _ = board.handle(key, now: now) }
        #expect(board.selectedGroup?.name == "batch-00017")
        #expect(board.render(width: 120, height: 34, now: now).text.contains("filter \"00017\": 1"))
    }

    @Test func anUpdatedGroupMovesToItsPlaceWithoutAReload() throws {
        let source = many(5_000)
        let board = try Dashboard(source: source, now: now)
        var old = source.groups[10]
        old.lastActivityAt = now + 5
        old.status = .inProgress
        var event = try UploadEvent(change: .group(old), userId: "u", at: now + 5)
        event.id = 1
        board.apply(event, now: now + 5)
        let text = board.render(width: 120, height: 34, now: now + 5).text
        let lines = text.split(separator: "\n")
        #expect(lines[3].contains("batch-00010"), "the active group rose to the top")
        #expect(text.contains("Groups 5,000"))
    }
}
