import UploadModel

/// A screen's worth of cells in memory: what the dashboard renders into and the terminal
/// layer copies out, row by row, only where it changed.
public struct CellGrid: Sendable, Hashable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The cells, row after row.
    public private(set) var cells: [Cell]

    /// A blank grid.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a column and row.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// One row's cells.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * width)..<((y + 1) * width)]
    }

    /// Writes text from a column on a row, clipped at `limit` columns (the row's end by default),
    /// and returns the column after the last one written. Wide characters that would not fit
    /// whole are replaced by a space; control characters are written as visible escapes
    /// (``TerminalText/escaped(_:keepingNewlines:)``), never as themselves.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, x + (limit ?? width))
        var column = x
        if TextWidth.isPrintableASCII(text) {
            // The common case: one cell per byte, no grapheme breaking, nothing to escape.
            for byte in text.utf8 {
                guard column < end else { break }
                if column >= 0 {
                    clearWide(at: column, y: y)
                    self[column, y] = Cell(Character(Unicode.Scalar(byte)), style: style)
                }
                column += 1
            }
            return column
        }
        for character in TerminalText.escaped(text) {
            let w = TextWidth.of(character)
            if w == 0 { continue }
            if column + w > end {
                if column < end, w == 2 { self[column, y] = Cell(" ", style: style) ; column += 1 }
                break
            }
            if column >= 0 {
                clearWide(at: column, y: y)
                self[column, y] = Cell(character, style: style)
                if w == 2 {
                    clearWide(at: column + 1, y: y)
                    self[column + 1, y] = Cell(" ", style: style, isContinuation: true)
                }
            }
            column += w
        }
        return column
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, character: Character = " ", style: Style = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(character, style: style)
            }
        }
    }

    /// Restyles a run of cells on one row without changing their characters.
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) { self[column, y].style = style }
    }

    /// The grid as text, one line per row, trailing spaces removed (what a snapshot compares).
    public var text: String {
        (0..<height).map { rowText($0) }.joined(separator: "\n")
    }

    /// One row as text, trailing spaces removed.
    public func rowText(_ y: Int) -> String {
        var line = ""
        for cell in row(y) where !cell.isContinuation { line.append(cell.character) }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// Overwriting half of a wide character leaves a blank in its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let cell = self[x, y]
        if cell.isContinuation, x > 0 {
            self[x - 1, y] = Cell(" ", style: self[x - 1, y].style)
        } else if x + 1 < width, self[x + 1, y].isContinuation {
            self[x + 1, y] = Cell(" ", style: cell.style)
        }
    }
}
