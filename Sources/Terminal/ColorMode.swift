/// How much colour the dashboard uses.
public enum ColorMode: Sendable, Hashable {
    /// None: NO_COLOR, monochrome terminals; status is shown by text and attributes.
    case none
    /// Whatever the terminal offers (8, 16 or 256 colours); the theme is fitted to it.
    case automatic
}
