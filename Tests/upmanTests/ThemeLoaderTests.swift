import Dashboard
import Foundation
import Testing
@testable import upman

/// The theme files in Themes/ and how `--theme` finds them.
@Suite struct ThemeLoaderTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes")

    @Test func everyShippedThemeParsesAndCoversTheStatuses() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(names == ["default.toml", "high-contrast.toml", "light.toml", "monochrome.toml"])
        for name in names {
            let theme = try ThemeLoader.read(folder.appendingPathComponent(name))
            #expect(theme.name == String(name.dropLast(5)))
            for role in [Style.statusFailed, .selected, .statusActive] {
                #expect(theme.styles[role] != nil, "\(name) lacks \(role.themeKey)")
            }
        }
        let monochrome = try ThemeLoader.read(folder.appendingPathComponent("monochrome.toml"))
        #expect(monochrome.styles.values.allSatisfy { $0.foreground == nil && $0.background == nil })
        #expect(try ThemeLoader.read(folder.appendingPathComponent("default.toml")) == Theme.builtInDefault)
    }

    @Test func namesAreLookedUpAndMistakesNamed() throws {
        let theme = try ThemeLoader.load("light", environment: ["UPMAN_THEMES": folder.path])
        #expect(theme.name == "light")
        #expect(throws: CLIError.self) { try ThemeLoader.load("nope", environment: ["UPMAN_THEMES": folder.path]) }
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).toml")
        try "[styles]\nselected = \"purple\"\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        #expect(throws: CLIError.self) { try ThemeLoader.load(bad.path) }
    }
}
