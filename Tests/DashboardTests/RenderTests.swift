import Dashboard
import Foundation
import Testing
import UploadModel

/// The panes rendered into fixed-size grids, compared with the screens in Fixtures/screens.
@Suite struct RenderTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func dashboard(_ source: StaticSource, readOnly: Bool = false) throws -> Dashboard {
        try Dashboard(source: source, readOnly: readOnly, serverLabel: "http://127.0.0.1:8080", now: now)
    }

    @Test func mainScreenWithWideCharactersAndLongNames() throws {
        let board = try dashboard(.scene(now: now))
        board.setConnection(.live)
        try Snapshot.check(board.render(width: 120, height: 34, now: now).text, named: "main-120x34")
    }

    @Test func narrowTerminalDropsColumnsButKeepsStatus() throws {
        let board = try dashboard(.scene(now: now))
        board.setConnection(.reconnecting(attempt: 3, reason: "connection refused"))
        let grid = board.render(width: 72, height: 24, now: now)
        try Snapshot.check(grid.text, named: "narrow-72x24")
        #expect(grid.text.contains("reconnecting (attempt 3)"))
        #expect(grid.text.contains("FAILED"))
    }

    @Test func emptyDatabase() throws {
        let board = try dashboard(StaticSource())
        board.setConnection(.databaseOnly)
        let grid = board.render(width: 80, height: 24, now: now)
        try Snapshot.check(grid.text, named: "empty-80x24")
        #expect(grid.text.contains("No uploads yet"))
    }

    @Test func tinyTerminalGetsAMessageInsteadOfALayout() throws {
        let board = try dashboard(.scene(now: now))
        let grid = board.render(width: 40, height: 10, now: now)
        try Snapshot.check(grid.text, named: "tiny-40x10")
        #expect(grid.text.contains("Terminal too small: 40×10"))
        #expect(board.render(width: 0, height: 0, now: now).text.isEmpty)
    }

    @Test func helpInReadOnlyModeShowsActionsAsDisabled() throws {
        let board = try dashboard(.scene(now: now), readOnly: true)
        _ = board.handle(.character("?"), now: now)
        let grid = board.render(width: 100, height: 30, now: now)
        try Snapshot.check(grid.text, named: "help-readonly-100x30")
        #expect(grid.text.contains("(disabled: read-only)"))
        #expect(!grid.rowText(29).contains("retry"))
    }

    @Test func cancelAsksWithADialogNamingTheGroup() throws {
        let board = try dashboard(.scene(now: now))
        _ = board.handle(.character("c"), now: now)
        let grid = board.render(width: 100, height: 30, now: now)
        try Snapshot.check(grid.text, named: "confirm-cancel-100x30")
        #expect(grid.text.contains("Cancel group '写真 2026 📷' (3 files)?"))
    }

    @Test func hugeFileFoldsPartsIntoMapCells() throws {
        let source = StaticSource.scene(now: now)
        source.parts = (1...3000).map { number in
            FilePart(sessionId: "ses_1", groupId: "grp_a", partNumber: number, offset: Int64(number - 1) << 23, size: 8 << 20,
                     status: number < 1800 ? .uploaded : number == 2222 ? .failed : number < 1900 ? .uploading : .pending,
                     createdAt: now)
        }
        let board = try dashboard(source)
        let grid = board.render(width: 100, height: 30, now: now)
        try Snapshot.check(grid.text, named: "part-map-folded-100x30")
        #expect(grid.text.contains("27 parts/cell"))
        #expect(grid.text.contains("✗"))
    }

    @Test func wideCharactersOccupyTwoCellsAndAreNeverSplit() throws {
        var grid = CellGrid(width: 6, height: 1)
        let end = grid.put("東京タワー", x: 0, y: 0)
        #expect(end == 6)
        #expect(grid.rowText(0) == "東京タ")
        grid.put("x", x: 1, y: 0)
        #expect(grid.rowText(0) == " x京タ")
        var narrow = CellGrid(width: 5, height: 1)
        narrow.put("東京タワー", x: 0, y: 0)
        #expect(narrow.rowText(0) == "東京")
        #expect(TextWidth.of("📷") == 2)
        #expect(TextWidth.of("é") == 1)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.truncate("東京タワー", to: 5) == "東京…")
    }

    @Test func columnsAreDroppedByPriorityAndTheFlexibleOneTakesTheRest() {
        let columns = [Column("NAME", width: 10, flexible: true, priority: 10), Column("A", width: 10, priority: 1),
                       Column("B", width: 10, priority: 5)]
        let wide = Column.layout(columns, width: 50)
        #expect(wide.map(\.width) == [28, 10, 10])
        let narrow = Column.layout(columns, width: 25)
        #expect(narrow.map(\.index) == [0, 2])
        #expect(narrow.map(\.width) == [14, 10])
    }
}
