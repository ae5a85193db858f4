/// Makes text that other people chose (group and file names, error texts, job output) safe to
/// write to a terminal.
///
/// A terminal acts on control characters: ESC starts sequences that retitle the window, move the
/// cursor or recolour it (ECMA-48 §5), BEL rings, and the C1 range U+0080–U+009F holds the same
/// introducers in 8-bit form (CSI is U+009B, OSC U+009D). None of them may reach a terminal from a
/// name a user typed, so every human-readable output passes such text through ``escaped(_:keepingNewlines:)``.
/// JSON output keeps the exact text: its encoder escapes control characters itself (RFC 8259 §7).
public enum TerminalText {
    /// `text` with every C0 control (U+0000–U+001F), DEL (U+007F) and C1 control (U+0080–U+009F)
    /// shown as a visible escape: `\n`, `\r`, `\t` and `\e` for the common ones, `\xHH` for
    /// the other C0 controls and DEL, `\u{HH}` for C1. A backslash itself stays as it is.
    ///
    /// With `keepingNewlines`, a line feed stays a line feed (for multi-line views that break
    /// lines themselves); every other control is still escaped.
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { out.append(scalar); continue }
            if keepingNewlines, scalar == "\n" { out.append(scalar); continue }
            out.append(contentsOf: visible(scalar).unicodeScalars)
        }
        return String(out)
    }

    /// Whether `scalar` is a C0 control, DEL or a C1 control.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{1B}": return "\\e"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let padded = hex.count < 2 ? "0" + hex : hex
            return scalar.value >= 0x80 ? "\\u{\(padded)}" : "\\x\(padded)"
        }
    }
}
