/// What one table cell shows: text in a style, or a progress bar with a label.
public enum TableCell: Sendable, Hashable {
    /// Text.
    case text(String, Style)
    /// A bar filled to a fraction, followed by a short label such as `42%`.
    case bar(Double, String)

    /// Plain text.
    public static func plain(_ text: String) -> TableCell { .text(text, .normal) }
}
