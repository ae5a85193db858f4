import Dashboard
import Testing

/// Theme values and the fallback of colours to smaller palettes.
@Suite struct ThemeTests {
    @Test func stylesParse() throws {
        let style = try TextStyle(parsing: "white on 24 bold underline")
        #expect(style == TextStyle(foreground: .index(7), background: .index(24), bold: true, underline: true))
        #expect(try TextStyle(parsing: "bright-red") == TextStyle(foreground: .index(9)))
        #expect(throws: ThemeError.self) { try TextStyle(parsing: "purple") }
        #expect(throws: ThemeError.self) { try TextStyle(parsing: "red on") }
        #expect(throws: ThemeError.self) { try Theme(name: "x", values: ["no-such-role": "red"]) }
    }

    @Test func coloursFitSmallerPalettes() {
        #expect(ThemeColor.index(196).fitted(to: 16) == .index(9))
        #expect(ThemeColor.index(24).fitted(to: 256) == .index(24))
        #expect(ThemeColor.index(9).fitted(to: 8) == .index(1))
        #expect(ThemeColor.index(46).fitted(to: 8) == .index(2))
        #expect(ThemeColor.terminalDefault.fitted(to: 8) == .terminalDefault)
    }

    @Test func everyRoleHasAThemeKey() {
        #expect(Style.statusFailed.themeKey == "status-failed")
        #expect(Style.borderFocused.themeKey == "border-focused")
        #expect(Set(Style.allCases.map(\.themeKey)).count == Style.allCases.count)
    }
}
