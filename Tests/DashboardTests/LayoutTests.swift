import Dashboard
import Foundation
import Testing
import UploadModel

/// Fitted columns, small terminals, honest keys, and rows arriving above the selection.
@Suite struct LayoutTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ id: Int64, _ change: EntityChange, at time: Date) throws -> UploadEvent {
        var event = try UploadEvent(change: change, userId: "alice", at: time)
        event.id = id
        return event
    }

    @Test func theNameColumnTakesTheWidthItsNamesNeed() throws {
        let source = StaticSource.scene(now: now)
        source.groups[1].name = "short-name"
        let board = try Dashboard(source: source, now: now)
        let heading = board.render(width: 200, height: 40, now: now).rowText(2)
        // The longest visible name is 12 columns ("写真 2026 📷"); STATUS follows right after it.
        let status = heading.range(of: "STATUS")!.lowerBound
        #expect(heading.distance(from: heading.startIndex, to: status) < 20)
    }

    @Test func wideScreensGiveTheErrorColumnTheRoom() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        let text = board.render(width: 200, height: 40, now: now).text
        #expect(text.contains("partFailed: part 2 checksum mismatch"))
    }

    @Test func aSmallTerminalKeepsHelpAndQuitInTheFooterAndTabSkipsHiddenPanes() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        let grid = board.render(width: 60, height: 16, now: now)
        let footer = grid.rowText(15)
        #expect(footer.contains("? help") && footer.contains("q quit"))
        #expect(!grid.text.contains("Parts"), "no room for the parts pane at 60×16")
        _ = board.handle(.tab, now: now)
        _ = board.handle(.tab, now: now)
        #expect(board.focus == .groups, "Tab cycles through the two panes on screen")
        _ = board.handle(.character("?"), now: now)
        let help = board.render(width: 60, height: 16, now: now).text
        #expect(help.contains("↑/↓ scroll"))
    }

    @Test func keysAreOfferedOnlyWhereTheyApply() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = board.handle(.character("G"), now: now)  // the COMPLETED group
        #expect(board.selectedGroup?.status == .completed)
        let footer = board.render(width: 140, height: 34, now: now).rowText(33)
        #expect(!footer.contains("cancel") && !footer.contains("retry"))
        #expect(board.handle(.character("c"), now: now).isEmpty)
        #expect(board.mode == .normal, "no 'Cancel group?' for a COMPLETED group")
        #expect(board.status?.text.contains("nothing to cancel") == true)
    }

    @Test func anUnknownKeyPointsAtHelp() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        _ = board.handle(.character("z"), now: now)
        #expect(board.status?.text == "'z' does nothing here: press ? for the keys")
    }

    @Test func escapeClearsAnAppliedFilter() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        for key: Key in [.character("/"), .character("s"), .character("t"), .enter] { _ = board.handle(key, now: now) }
        #expect(board.render(width: 100, height: 30, now: now).text.contains("filter \"st\""))
        _ = board.handle(.escape, now: now)
        #expect(!board.render(width: 100, height: 30, now: now).text.contains("filter \"st\""))
        #expect(board.focus == .groups)
    }

    @Test func rowsArrivingAboveDoNotMoveTheSelectedRow() throws {
        let source = StaticSource()
        source.groups = (0..<100).map { n in
            UploadGroup(id: String(format: "grp_%03d", n), userId: "u", name: String(format: "batch-%03d", n),
                        createdAt: now - Double(1000 - n), lastActivityAt: now - Double(1000 - n))
        }
        let board = try Dashboard(source: source, now: now)
        // Scrolled into the list (a view at the top stays at the top and shows what arrives).
        for _ in 1...25 { _ = board.handle(.down, now: now) }
        let chosen = board.selectedGroupId
        let before = board.render(width: 120, height: 34, now: now)
        let line = (0..<34).first { before.rowText($0).contains(board.selectedGroup!.name) }!
        for n in 1...3 {
            let group = UploadGroup(id: "grp_new\(n)", userId: "eve", name: "new-\(n)", createdAt: now + Double(n))
            board.apply(try event(Int64(n), .group(group), at: now + Double(n)), now: now + Double(n))
        }
        let after = board.render(width: 120, height: 34, now: now + 3)
        #expect(board.selectedGroupId == chosen)
        #expect(after.rowText(line).contains(board.selectedGroup!.name), "the selected row keeps its line")
        #expect(after.text.contains("Groups 103"))
        // At the top, the view stays there: the new rows show and the selection moves with its row.
        _ = board.handle(.character("g"), now: now)
        _ = board.render(width: 120, height: 34, now: now + 3)
        let group = UploadGroup(id: "grp_new4", userId: "eve", name: "new-4", createdAt: now + 4)
        board.apply(try event(4, .group(group), at: now + 4), now: now + 4)
        let top = board.render(width: 120, height: 34, now: now + 4)
        #expect(top.rowText(3).contains("new-4"))
        #expect(board.selectedGroup?.name == "new-3")
    }

    @Test func aGroupCountsTheFilesItsUploaderAnnounced() throws {
        let source = StaticSource.scene(now: now)
        source.groups[0].expectedFiles = 101
        source.groups[0].expectedBytes = 1 << 30
        let board = try Dashboard(source: source, now: now)
        let row = board.render(width: 140, height: 34, now: now).rowText(3)
        #expect(row.contains("1/101"))
        #expect(row.contains("30.0 MiB/1.0 GiB"))
        #expect(row.contains(" 2%"))
    }

    @Test func asciiFallbackOfTheMainScreen() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), serverLabel: "http://127.0.0.1:8080", now: now)
        board.setConnection(.live)
        try Snapshot.check(ASCIIFallback.string(board.render(width: 100, height: 30, now: now).text), named: "ascii-main-100x30")
    }
}
