/// One terminal cell: a character (one or two columns wide) and its style.
public struct Cell: Sendable, Hashable {
    /// The character shown; a blank for empty cells and for the right half of a wide character.
    public var character: Character
    /// How the cell is drawn.
    public var style: Style
    /// True for the second column of a double-width character (nothing is drawn there).
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ character: Character = " ", style: Style = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An empty cell.
    public static let blank = Cell()
}
