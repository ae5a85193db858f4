import CNcursesw
import Dashboard
import Foundation
import UploadModel

/// The one owner of the terminal (ncursesw): starts and ends curses mode, puts cell grids on
/// screen writing only the rows that changed (one `doupdate` per frame), and reads keys.
/// Not thread-safe, like curses itself: use it from one thread.
public final class TerminalScreen {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// Colours the theme was fitted to (0 without colour).
    public let colors: Int
    /// Whether the locale's character set is UTF-8. When it is not (`LANG=C`, Latin-1), every
    /// non-ASCII glyph is drawn as its ASCII stand-in (``ASCIIFallback``): nothing is left blank.
    public let unicode: Bool
    private let screen: OpaquePointer
    private var shown: CellGrid?
    /// Each style's attributes and colour pair, indexed by the style's raw value (a lookup per cell).
    private var looks: [(attrs: attr_t, pair: Int16)] = []
    private var ended = false

    /// Enters curses mode on the controlling terminal, or returns nil when the terminal cannot
    /// do it (TERM unknown or `dumb`).
    public init?(theme: Theme, colorMode: ColorMode) {
        setlocale(LC_ALL, "")
        unicode = upman_locale_is_utf8() != 0
        if let term = ProcessInfo.processInfo.environment["TERM"], term == "dumb" { return nil }
        guard let screen = upman_newterm() else { return nil }
        self.screen = screen
        _ = set_term(screen)
        raw()
        noecho()
        nonl()
        intrflush(upman_stdscr(), false)
        keypad(upman_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(upman_stdscr(), 0)
        if colorMode == .automatic && has_colors() {
            start_color()
            use_default_colors()
            colors = Int(upman_colors())
        } else {
            colors = 0
        }
        width = Int(upman_cols())
        height = Int(upman_lines())
        apply(theme)
    }

    deinit { end() }

    /// Leaves curses mode and restores the terminal (safe to call twice).
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        delscreen(screen)
    }

    /// Prepares the attributes and colour pairs of a theme (fitted to the terminal's colours)
    /// and forgets what is on screen, so the next frame is drawn whole.
    public func apply(_ theme: Theme) {
        looks = Array(repeating: (upman_a_normal(), 0), count: Style.allCases.count)
        var pairs: [String: Int16] = [:]
        for role in Style.allCases {
            let look = colors == 0 ? Theme.monochrome.style(role) : theme.style(role)
            var attrs = upman_a_normal()
            if look.bold { attrs |= upman_a_bold() }
            if look.dim { attrs |= upman_a_dim() }
            if look.underline { attrs |= upman_a_underline() }
            if look.reverse { attrs |= upman_a_reverse() }
            var pair: Int16 = 0
            if colors > 0 {
                let fg = number(look.foreground)
                let bg = number(look.background)
                if fg != -1 || bg != -1 {
                    let key = "\(fg):\(bg)"
                    if let known = pairs[key] {
                        pair = known
                    } else if pairs.count + 1 < Int(upman_color_pairs()) {
                        pair = Int16(pairs.count + 1)
                        init_pair(pair, Int16(fg), Int16(bg))
                        pairs[key] = pair
                    }
                }
            }
            looks[Int(role.rawValue)] = (attrs, pair)
        }
        shown = nil
    }

    /// Draws a grid, writing only rows that differ from what is on screen; returns how many
    /// rows were written (0: nothing was sent to the terminal).
    @discardableResult
    public func present(_ grid: CellGrid) -> Int {
        var written = 0
        let whole = shown == nil || shown!.width != grid.width || shown!.height != grid.height
        if whole { werase(upman_stdscr()) }
        for y in 0..<min(grid.height, height) where whole || shown!.row(y) != grid.row(y) {
            draw(row: y, of: grid)
            written += 1
        }
        shown = grid
        if written > 0 || whole {
            wnoutrefresh(upman_stdscr())
            doupdate()
        }
        return written
    }

    /// Forgets what is on screen and clears it, so the next frame is drawn whole (Ctrl-L).
    public func invalidate() {
        shown = nil
        clearok(upman_stdscr(), true)
    }

    /// The keys waiting (without blocking), with consecutive resizes folded into one.
    public func readEvents() -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var resized = false
        var code: wint_t = 0
        while true {
            let result = wget_wch(upman_stdscr(), &code)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(code) == upman_key_resize() {
                    resized = true
                    continue
                }
                if let key = Self.functionKey(Int32(code)) { events.append(.key(key)) }
            } else if let key = Self.characterKey(UInt32(code)) {
                events.append(.key(key))
            }
        }
        if resized {
            width = Int(upman_cols())
            height = Int(upman_lines())
            shown = nil
            events.append(.resize(width: width, height: height))
        }
        return events
    }

    private func draw(row y: Int, of grid: CellGrid) {
        wmove(upman_stdscr(), Int32(y), 0)
        // Cells in the same look are written as one run.
        var run: [wchar_t] = []
        var runLook: (attrs: attr_t, pair: Int16) = (upman_a_normal(), 0)
        func flush() {
            guard !run.isEmpty else { return }
            _ = run.withUnsafeBufferPointer { upman_put_run($0.baseAddress, Int32($0.count), runLook.attrs, runLook.pair) }
            run.removeAll(keepingCapacity: true)
        }
        var corner: [wchar_t] = []
        for x in 0..<grid.width {
            let cell = grid[x, y]
            if unicode && cell.isContinuation { continue }
            let look: (attrs: attr_t, pair: Int16) = Int(cell.style.rawValue) < looks.count ? looks[Int(cell.style.rawValue)] : (upman_a_normal(), 0)
            // The bottom-right cell: writing it can scroll some terminals; it is inserted instead.
            let isCorner = y == grid.height - 1 && x >= grid.width - max(1, TextWidth.of(cell.character))
            if !isCorner && look != runLook {
                flush()
                runLook = look
            }
            func emit(_ value: wchar_t) {
                if isCorner { corner.append(value) } else { run.append(value) }
            }
            if unicode {
                for scalar in cell.character.unicodeScalars {
                    // The grid escapes control characters; this is the last guard before the terminal.
                    emit(wchar_t(bitPattern: TerminalText.isControl(scalar) ? 0xFFFD : scalar.value))
                }
            } else if cell.isContinuation {
                // The stand-in of a wide character takes one column; fill its second.
                let left = x > 0 ? ASCIIFallback.character(grid[x - 1, y].character) : " "
                emit(wchar_t(left == "?" ? UInt8(ascii: "?") : UInt8(ascii: " ")))
            } else {
                let stand = ASCIIFallback.character(cell.character)
                let byte = stand.asciiValue.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 } ?? UInt8(ascii: "?")
                emit(wchar_t(byte))
            }
            if isCorner {
                flush()
                corner.append(0)
                _ = corner.withUnsafeBufferPointer { upman_ins_cell($0.baseAddress, look.attrs, look.pair) }
                corner.removeAll()
            }
        }
        flush()
    }

    private func number(_ color: ThemeColor?) -> Int {
        switch color?.fitted(to: colors) {
        case .index(let value)?: value
        default: -1
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE, KEY_DC: .backspace
        default: nil
        }
    }

    private static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 3: return .interrupt
        case 9: return .tab
        case 10, 13: return .enter
        case 12: return .repaint
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
