/// A key press as the dashboard sees it, independent of the terminal library.
public enum Key: Sendable, Hashable {
    /// A printable character.
    case character(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Page keys.
    case pageUp, pageDown
    /// Home and End.
    case home, end
    /// Enter / Return.
    case enter
    /// Escape.
    case escape
    /// Tab and Shift-Tab.
    case tab, backTab
    /// Backspace / Delete-left.
    case backspace
    /// Ctrl-C (quits, like `q`).
    case interrupt
    /// Ctrl-L (repaint everything).
    case repaint
}
