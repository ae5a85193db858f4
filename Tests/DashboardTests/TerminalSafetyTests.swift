import Dashboard
import Foundation
import Testing
import UploadModel

/// Names, errors and output that users chose never reach the terminal as control sequences,
/// and every glyph the dashboard draws has an ASCII stand-in for non-UTF-8 locales.
@Suite struct TerminalSafetyTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The scene with hostile text in every user-chosen field the panes show.
    func hostileScene() -> StaticSource {
        let source = StaticSource.scene(now: now)
        source.groups[0].name = "x\u{1B}]0;PWNED\u{07}"
        source.sessions[0].fileName = "a\u{9B}31mred\u{1B}[2J.jpg"
        source.sessions[0].error = ErrorDetail(code: "partFailed", message: "line one\nline\u{7F}two\r")
        source.parts[1].error = ErrorDetail(code: "checksumMismatch", message: "\u{1B}[1;1Hmoved")
        source.jobs[0].error = ErrorDetail(code: "jobFailed", message: "exec: \u{1B}]52;c;Y2xpcA==\u{07}")
        return source
    }

    @Test func thePanesShowControlCharactersAsEscapes() throws {
        let board = try Dashboard(source: hostileScene(), readOnly: false, serverLabel: "http://127.0.0.1:8080", now: now)
        board.setConnection(.live)
        for size in [(120, 34), (200, 50), (72, 24)] {
            let grid = board.render(width: size.0, height: size.1, now: now)
            let controls = grid.cells.filter { $0.character.unicodeScalars.contains(where: TerminalText.isControl) }
            #expect(controls.isEmpty, "\(size): \(controls.map(\.character))")
        }
        let wide = board.render(width: 200, height: 50, now: now).text
        #expect(wide.contains("x\\e]0;PWNED\\x07"))
        #expect(wide.contains("a\\u{9B}31mred\\e[2J.jpg"))
    }

    @Test func theOnceReportShowsControlCharactersAsEscapes() {
        let report = GroupReport.text(hostileScene().groups, totalGroups: 3, now: now, width: 160)
        #expect(!report.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        #expect(report.contains("x\\e]0;PWNED\\x07"))
        #expect(report.split(separator: "\n").count == 5, "one line per group, a header and a total")
    }

    @Test func theJSONReportKeepsTheExactText() throws {
        let json = try GroupReport.json(hostileScene().groups, totalGroups: 3, latestEventId: 0)
        #expect(!json.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let first = (decoded["groups"] as! [[String: Any]])[0]
        #expect(first["name"] as? String == "x\u{1B}]0;PWNED\u{07}")
    }

    @Test func everyGlyphTheDashboardDrawsHasAnASCIIStandIn() throws {
        // ASCII names only, so every non-ASCII character in these frames is the dashboard's own.
        let source = StaticSource.scene(now: now)
        source.groups[0].name = "photos"
        source.sessions[0].fileName = "tokyo.jpg"
        source.sessions[1].fileName = "cafe.png"
        let board = try Dashboard(source: source, readOnly: false, serverLabel: "http://127.0.0.1:8080", now: now)
        var glyphs = Set<Character>()
        for connection in [ConnectionState.live, .reconnecting(attempt: 2, reason: "x"), .databaseOnly, .connecting] {
            board.setConnection(connection)
            for size in [(120, 34), (72, 24), (30, 8)] {
                let grid = board.render(width: size.0, height: size.1, now: now)
                glyphs.formUnion(grid.cells.map(\.character).filter { !$0.isASCII })
            }
        }
        _ = board.handle(.character("?"), now: now)
        glyphs.formUnion(board.render(width: 100, height: 30, now: now).cells.map(\.character).filter { !$0.isASCII })
        for status in [PartStatus.uploaded, .uploading, .pending, .failed] { glyphs.insert(PartMap.glyph(status)) }
        #expect(!glyphs.isEmpty)
        for glyph in glyphs {
            #expect(ASCIIFallback.character(glyph) != "?", "no stand-in for \(glyph) (U+\(String(glyph.unicodeScalars.first!.value, radix: 16)))")
        }
        let map = [PartStatus.uploaded, .uploading, .pending, .failed].map { ASCIIFallback.character(PartMap.glyph($0)) }
        #expect(Set(map).count == 4, "the part map's states stay apart: \(map)")
    }

    @Test func textThatCannotBeShownIsReplacedNotDropped() {
        #expect(ASCIIFallback.string("東京.jpg") == "????.jpg")
        #expect(ASCIIFallback.string("café") == "caf?")
        #expect(ASCIIFallback.string("│ ● live ▏█▒·✗") == "| * live |#=.x")
        #expect(TextWidth.of(ASCIIFallback.string("写真 2026 📷")) == TextWidth.of("写真 2026 📷"))
    }
}
