import Dashboard
import Foundation
import TOMLKit

/// Finds and reads a dashboard theme: a path to a TOML file, or a name looked up in
/// $UPMAN_THEMES, ./Themes and the Themes folder of the checkout the binary was built in.
enum ThemeLoader {
    /// The theme a `--theme` value names.
    static func load(_ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            return try read(URL(fileURLWithPath: nameOrPath))
        }
        let folders = searchFolders(environment: environment)
        for folder in folders {
            let file = folder.appendingPathComponent(nameOrPath + ".toml")
            if FileManager.default.fileExists(atPath: file.path) { return try read(file) }
        }
        if nameOrPath == "default" { return .builtInDefault }
        if nameOrPath == "monochrome" { return .monochrome }
        let available = Set(folders.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0.path)) ?? [] }
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }).sorted()
        throw CLIError("no theme '\(nameOrPath)' in \(folders.map(\.path).joined(separator: ", "))"
            + (available.isEmpty ? "" : "; available: \(available.joined(separator: ", "))"))
    }

    /// Reads a theme file: `[styles]` with `role = "FG on BG attributes"`.
    static func read(_ file: URL) throws -> Theme {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw CLIError("cannot read theme \(file.path): \(error.localizedDescription)")
        }
        do {
            let table = try TOMLTable(string: text)
            var name = file.deletingPathExtension().lastPathComponent
            var values: [String: String] = [:]
            for key in table.keys {
                switch key {
                case "name":
                    guard let string = table[key]?.string else { throw ThemeError("'name' must be a string") }
                    name = string
                case "styles":
                    guard let styles = table[key]?.table else { throw ThemeError("'styles' must be a table ([styles])") }
                    for role in styles.keys {
                        guard let string = styles[role]?.string else { throw ThemeError("'styles.\(role)' must be a string") }
                        values[role] = string
                    }
                default:
                    throw ThemeError("unknown key '\(key)' (expected name and [styles])")
                }
            }
            return try Theme(name: name, values: values)
        } catch let error as TOMLParseError {
            throw CLIError("theme \(file.path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw CLIError("theme \(file.path): \(error)")
        }
    }

    /// Where theme names are looked up, in order.
    static func searchFolders(environment: [String: String]) -> [URL] {
        var folders: [URL] = []
        if let custom = environment["UPMAN_THEMES"], !custom.isEmpty { folders.append(URL(fileURLWithPath: custom)) }
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes"))
        // A binary in CHECKOUT/.build/CONFIG/upman finds CHECKOUT/Themes.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("Themes")
            if !folders.contains(candidate) { folders.append(candidate) }
            folder = folder.deletingLastPathComponent()
        }
        return folders
    }
}
