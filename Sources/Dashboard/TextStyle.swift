/// How one style role looks: colours and attributes.
public struct TextStyle: Sendable, Hashable {
    /// Text colour (nil: the terminal's default).
    public var foreground: ThemeColor?
    /// Background colour (nil: the terminal's default).
    public var background: ThemeColor?
    /// Bold.
    public var bold: Bool
    /// Dim.
    public var dim: Bool
    /// Underlined.
    public var underline: Bool
    /// Reverse video.
    public var reverse: Bool

    /// Creates a style.
    public init(foreground: ThemeColor? = nil, background: ThemeColor? = nil, bold: Bool = false, dim: Bool = false,
                underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }

    /// Parses `FG [on BG] [bold] [dim] [underline] [reverse]`, e.g. `white on 24 bold`, `196`, `reverse`.
    public init(parsing text: String) throws {
        self.init()
        var words = text.split(separator: " ").map { String($0).lowercased() }[...]
        var sawForeground = false
        while let word = words.popFirst() {
            switch word {
            case "bold": bold = true
            case "dim": dim = true
            case "underline": underline = true
            case "reverse": reverse = true
            case "on":
                guard let next = words.popFirst(), let color = ThemeColor(parsing: next) else {
                    throw ThemeError("'on' must be followed by a colour in \"\(text)\"")
                }
                background = color
            default:
                guard !sawForeground, let color = ThemeColor(parsing: word) else {
                    throw ThemeError("unknown word '\(word)' in \"\(text)\" (colours: default, black…white, bright-NAME, 0–255; attributes: bold dim underline reverse)")
                }
                foreground = color
                sawForeground = true
            }
        }
    }

    /// The style without colours (attributes only).
    public var withoutColor: TextStyle {
        TextStyle(bold: bold, dim: dim, underline: underline, reverse: reverse)
    }
}
