import Dashboard

/// Redraws `upman put`'s progress block in place, as terminal output. Each frame moves the cursor
/// up over the rows the previous frame took, writes the notes (lines that scroll up and stay) and
/// the new block over them, each line followed by erase-to-end-of-line, and blanks the rows of the
/// old block that are left over (it never erases the screen: tmux moves a screen erased from its
/// top-left corner into the scrollback). Lines are never wider than the terminal (see
/// `ProgressFrame`), so a frame drawn at the current width took one row per line; after the width
/// changed, a reflowing terminal (tmux, VTE, iTerm2, kitty, Windows Terminal) rewraps each old line
/// into `ceil(columns / width)` rows, and that is what is climbed. Pure: it returns the text.
struct ProgressBlock {
    private var drawnColumns: [Int] = []
    private var drawnWidth = 0

    /// The rows the drawn block takes on a terminal `width` columns wide.
    func rows(at width: Int) -> Int {
        guard width != drawnWidth, width > 0 else { return drawnColumns.count }
        return drawnColumns.reduce(0) { $0 + Self.rows(of: $1, width: width) }
    }

    /// The output that replaces the drawn block with `notes` (kept above) and `lines` (the new block).
    mutating func frame(notes: [String], lines: [String], width: Int) -> String {
        let up = rows(at: width)
        var out = up > 0 ? "\u{1B}[\(up)F" : "\r"
        var covered = 0
        for note in notes {
            out += note + "\u{1B}[K\n"
            covered += Self.rows(of: TextWidth.of(note), width: width)
        }
        for line in lines { out += line + "\u{1B}[K\n" }
        let blanks = max(0, up - covered - lines.count)
        out += String(repeating: "\u{1B}[2K\n", count: blanks)
        drawnColumns = lines.map { TextWidth.of($0) } + Array(repeating: 0, count: blanks)
        drawnWidth = width
        return out
    }

    /// The rows a line of `columns` columns takes on a terminal `width` wide.
    private static func rows(of columns: Int, width: Int) -> Int {
        max(1, (columns + max(1, width) - 1) / max(1, width))
    }
}
