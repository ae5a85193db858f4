/// A colour as a theme names it: the terminal's default, or an xterm palette index (0–255;
/// 0–15 are the named colours).
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// An xterm-256 palette index.
    case index(Int)

    private static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, a colour name (`red`, `bright-red`) or a palette number.
    public init?(parsing text: String) {
        let word = text.lowercased()
        if word == "default" { self = .terminalDefault; return }
        if let number = Int(word), (0...255).contains(number) { self = .index(number); return }
        if let base = Self.names.firstIndex(of: word) { self = .index(base); return }
        if word.hasPrefix("bright-"), let base = Self.names.firstIndex(of: String(word.dropFirst(7))) {
            self = .index(base + 8)
            return
        }
        return nil
    }

    /// The nearest colour a terminal with `available` colours (8, 16 or 256) can show.
    public func fitted(to available: Int) -> ThemeColor {
        guard case .index(let value) = self else { return self }
        if available >= 256 || value < available { return self }
        if value < 16 { return .index(value - 8) }
        let (r, g, b) = Self.rgb(value)
        // The nearest of the 16 basic colours (or the 8 dark ones).
        let palette = (0..<min(16, available)).map { ($0, Self.rgb($0)) }
        let best = palette.min { a, b2 in
            Self.distance(a.1, (r, g, b)) < Self.distance(b2.1, (r, g, b))
        }!
        return .index(best.0)
    }

    /// The xterm RGB value of a palette index.
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[index] }
        if index >= 232 {
            let level = 8 + (index - 232) * 10
            return (level, level, level)
        }
        let cube = index - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[cube / 6 % 6], steps[cube % 6])
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr * 3 + dg * dg * 4 + db * db * 2
    }
}
