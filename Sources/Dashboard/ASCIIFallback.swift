/// How the dashboard's text is shown where the terminal's character set is not UTF-8 (`LANG=C`,
/// `POSIX`, a Latin-1 locale): every glyph the dashboard draws has an ASCII stand-in that keeps
/// its meaning (bars `#`, the part map `# = . x`, borders `- | +`), and any other character that
/// cannot be shown becomes `?` (one per column it takes), so nothing is dropped and every state
/// stays visible.
///
/// Borders become `-`, `|` and `+` rather than curses' alternate character set (ACS): where the
/// terminal description does not match the terminal (TERM=xterm-256color inside tmux, as the
/// project's notes record), and in every screen capture, ACS lines show as the letters `q` and
/// `x`, while ASCII reads the same everywhere.
public enum ASCIIFallback {
    /// The ASCII stand-in of one character: itself when it is ASCII, the glyph's stand-in when
    /// the dashboard draws it, `?` otherwise.
    public static func character(_ character: Character) -> Character {
        if character.isASCII { return character }
        switch character {
        case "─": return "-"
        case "│", "▏": return "|"
        case "┌", "┐", "└", "┘": return "+"
        case "█": return "#"
        case "▒", "░": return "="
        case "·": return "."
        case "✗", "×": return "x"
        case "●": return "*"
        case "◌": return "o"
        case "…": return "~"
        case "↑": return "^"
        case "↓": return "v"
        case "–", "—": return "-"
        case "⏎": return "<"
        case "⚠": return "!"
        case "→": return ">"
        case "▁": return "_"
        case "▂": return "."
        case "▃": return ","
        case "▄": return ":"
        case "▅": return "="
        case "▆": return "+"
        case "▇": return "*"
        default: return "?"
        }
    }

    /// Text in ASCII: each character as ``character(_:)``, with `?` for each column of a wide
    /// character that has no stand-in, so columns stay aligned.
    public static func string(_ text: String) -> String {
        guard !text.allSatisfy(\.isASCII) else { return text }
        var out = ""
        for character in text {
            let stand = Self.character(character)
            let columns = TextWidth.of(character)
            if columns == 0 && !character.isASCII { continue }
            out.append(stand)
            if columns == 2 { out.append(stand == "?" ? "?" : " ") }
        }
        return out
    }
}
