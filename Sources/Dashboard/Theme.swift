/// The look of the dashboard: a text style for every role. Themes are TOML files in Themes/
/// (`[styles]` with one `role = "FG on BG attributes"` line per role).
public struct Theme: Sendable, Hashable {
    /// The theme's name.
    public var name: String
    /// The look of each role; roles left out look like `normal`.
    public var styles: [Style: TextStyle]

    /// Creates a theme.
    public init(name: String, styles: [Style: TextStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The look of a role.
    public func style(_ role: Style) -> TextStyle {
        styles[role] ?? styles[.normal] ?? TextStyle()
    }

    /// Builds a theme from a file's `styles.ROLE` values; unknown roles and bad values are errors.
    public init(name: String, values: [String: String]) throws {
        var styles: [Style: TextStyle] = [:]
        let roles = Dictionary(uniqueKeysWithValues: Style.allCases.map { ($0.themeKey, $0) })
        for (key, value) in values {
            guard let role = roles[key] else {
                throw ThemeError("unknown style '\(key)'; known: \(Style.allCases.map(\.themeKey).joined(separator: ", "))")
            }
            styles[role] = try TextStyle(parsing: value)
        }
        self.init(name: name, styles: styles)
    }

    /// The look without colour, for NO_COLOR and terminals without colours: status stays
    /// readable as text, selection as reverse video.
    public static let monochrome = Theme(name: "monochrome", styles: [
        .header: TextStyle(reverse: true), .title: TextStyle(bold: true), .borderFocused: TextStyle(bold: true),
        .columnHeading: TextStyle(underline: true), .selected: TextStyle(reverse: true),
        .selectedInactive: TextStyle(underline: true), .key: TextStyle(bold: true), .disabled: TextStyle(dim: true),
        .dim: TextStyle(dim: true), .error: TextStyle(bold: true), .stalled: TextStyle(bold: true, underline: true),
        .statusFailed: TextStyle(bold: true), .statusActive: TextStyle(bold: true), .live: TextStyle(bold: true),
        .offline: TextStyle(bold: true, reverse: true), .dialog: TextStyle(), .success: TextStyle(bold: true),
        .barEmpty: TextStyle(dim: true),
    ])

    /// The default look (dark terminal, 256 colours), used when no Themes/default.toml is found.
    public static let builtInDefault = Theme(name: "default", styles: [
        .normal: TextStyle(foreground: .terminalDefault),
        .dim: TextStyle(foreground: .index(245)),
        .header: TextStyle(foreground: .index(255), background: .index(24), bold: true),
        .border: TextStyle(foreground: .index(240)),
        .borderFocused: TextStyle(foreground: .index(39), bold: true),
        .title: TextStyle(foreground: .index(39), bold: true),
        .columnHeading: TextStyle(foreground: .index(250), bold: true),
        .selected: TextStyle(foreground: .index(16), background: .index(39)),
        .selectedInactive: TextStyle(foreground: .terminalDefault, background: .index(237)),
        .key: TextStyle(foreground: .index(214), bold: true),
        .disabled: TextStyle(foreground: .index(240)),
        .barFilled: TextStyle(foreground: .index(35)),
        .barEmpty: TextStyle(foreground: .index(238)),
        .sparkline: TextStyle(foreground: .index(45), background: .index(24)),
        .error: TextStyle(foreground: .index(203)),
        .stalled: TextStyle(foreground: .index(214), bold: true),
        .success: TextStyle(foreground: .index(42)),
        .dialog: TextStyle(foreground: .index(255), background: .index(236)),
        .live: TextStyle(foreground: .index(46), background: .index(24), bold: true),
        .offline: TextStyle(foreground: .index(16), background: .index(214), bold: true),
        .statusPending: TextStyle(foreground: .index(250)),
        .statusActive: TextStyle(foreground: .index(45)),
        .statusDone: TextStyle(foreground: .index(42)),
        .statusFailed: TextStyle(foreground: .index(196), bold: true),
        .statusStopped: TextStyle(foreground: .index(208)),
    ])
}
