import Dashboard

/// What the terminal reports: a key, or a new size.
public enum TerminalEvent: Sendable, Hashable {
    /// A key press.
    case key(Key)
    /// The window was resized (several resizes in a row arrive as one).
    case resize(width: Int, height: Int)
}
