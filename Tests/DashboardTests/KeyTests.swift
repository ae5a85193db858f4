@testable import Dashboard
import Foundation
import Testing
import UploadModel

/// Keys turned into selection moves, filters, sorts and operator actions.
@Suite struct KeyTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func press(_ board: Dashboard, _ keys: Key...) -> [DashboardEffect] {
        keys.flatMap { board.handle($0, now: now) }
    }

    @Test func retryOnAFailedPartNamesThatPart() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = press(board, .tab, .tab, .down)
        #expect(board.focus == .parts)
        let effects = press(board, .character("r"))
        let expected = OperatorAction(verb: .retry, sessionId: "ses_1", partNumbers: [2], subject: "part 2 of '東京タワー.jpg'")
        #expect(effects == [.perform(expected)])
    }

    @Test func retryInEachPaneTargetsGroupFileOrJob() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        #expect(press(board, .character("r")).first == .perform(OperatorAction(verb: .retry, groupId: "grp_a", subject: "everything failed in group '写真 2026 📷'")))
        _ = press(board, .enter)
        #expect(press(board, .character("r")).first == .perform(OperatorAction(verb: .retry, sessionId: "ses_1", subject: "what failed in '東京タワー.jpg'")))
        _ = press(board, .enter, .tab)
        #expect(board.focus == .jobs)
        #expect(press(board, .character("r")).first == .perform(OperatorAction(verb: .retry, jobId: "job_1", subject: "sha256 job of '東京タワー.jpg'")))
    }

    @Test func cancelAndDeleteNeedY() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        #expect(press(board, .character("c")).isEmpty)
        guard case .confirming(let action) = board.mode else { Issue.record("no confirmation"); return }
        #expect(action.verb == .cancel && action.groupId == "grp_a")
        #expect(press(board, .character("y")) == [.perform(action)])
        #expect(board.mode == .normal)
        _ = press(board, .enter)
        #expect(press(board, .character("d")).isEmpty)
        #expect(press(board, .character("n")).isEmpty)
        #expect(board.mode == .normal)
        #expect(board.status?.text == "Delete declined: nothing changed.")
    }

    @Test func readOnlyRefusesActions() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), readOnly: true, now: now)
        for key in ["r", "c", "d"] {
            #expect(press(board, .character(Character(key))).isEmpty)
            #expect(board.mode == .normal)
            #expect(board.status?.text.hasPrefix("read-only:") == true)
        }
    }

    @Test func filterSelectsTheFirstMatchAndEscapeClearsIt() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = press(board, .character("/"), .character("s"), .character("t"), .character("u"), .character("x"), .backspace)
        #expect(board.mode == .filtering("stu"))
        _ = press(board, .enter)
        #expect(board.selectedGroupId == "grp_c")
        #expect(board.render(width: 100, height: 30, now: now).text.contains("filter \"stu\": 1"))
        _ = press(board, .character("/"), .escape)
        #expect(board.render(width: 100, height: 30, now: now).text.contains("Groups 3 ─"))
    }

    @Test func movingTheGroupSelectionLoadsItsFiles() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        #expect(board.selectedSessionId == "ses_1")
        _ = press(board, .down)
        #expect(board.selectedGroupId == "grp_c")
        #expect(board.selectedSessionId == nil)
        _ = press(board, .character("G"))
        #expect(board.selectedGroupId == "grp_b")
        _ = press(board, .character("g"))
        #expect(board.selectedGroupId == "grp_a")
        _ = press(board, .up)
        #expect(board.selectedGroupId == "grp_a")
    }

    @Test func sortCyclesColumnsAndReverses() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = press(board, .character("s"))
        #expect(board.status?.text == "Groups sorted by name↑")
        _ = press(board, .character("G"))
        #expect(board.selectedGroupId == "grp_a")
        _ = press(board, .character("S"))
        #expect(board.status?.text == "Groups sorted by name↓")
        _ = press(board, .character("G"))
        #expect(board.selectedGroupId == "grp_b")
    }

    @Test func tabCyclesPanesAndQuitQuits() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = press(board, .tab, .tab, .tab)
        #expect(board.focus == .jobs)
        _ = press(board, .tab)
        #expect(board.focus == .groups)
        _ = press(board, .backTab)
        #expect(board.focus == .jobs)
        #expect(press(board, .character("q")) == [.quit])
        #expect(press(board, .interrupt) == [.quit])
    }
}
