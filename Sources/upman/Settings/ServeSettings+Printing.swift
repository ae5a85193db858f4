import Foundation
import UploadStore

extension ServeSettings {
    /// The settings part of `upman serve --help`: each setting's flag, value, help, default,
    /// environment variable and TOML key, made from ``declarations``.
    static var helpText: String {
        var lines = wrap(
            "Settings come from flags, then the environment (UPMAN_<SETTING>), then the TOML file named by "
                + "--config or UPMAN_CONFIG, whose keys are the settings' names (port = 8080, jobs = [\"sha256\", \"exec\"]). "
                + "`upman serve --print-config` shows what a command line would run with.", indent: "")
        lines.append("")
        for setting in declarations {
            lines.append("  " + setting.flag + (setting.type.placeholder.map { " " + $0 } ?? ""))
            var detail = setting.help
            if let value = setting.defaultText { detail += " [default: \(value)]" }
            lines += wrap(detail, indent: "      ")
            let names = [setting.environmentName] + setting.alsoFrom
            lines += wrap("env " + names.joined(separator: ", ") + (setting.inFile ? "; file: \(setting.key)" : ""), indent: "      ")
        }
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most 78 columns (ArgumentParser re-wraps longer ones at 80 and loses
    /// the indent), each starting with `indent`.
    private static func wrap(_ text: String, indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > 78 {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines
    }

    /// The README's settings table (Markdown), made from ``declarations``.
    static var markdownTable: String {
        var lines = ["| setting (TOML) | flag | environment | default | what it does |", "| --- | --- | --- | --- | --- |"]
        for setting in declarations {
            let key = setting.inFile ? "`\(setting.key)`" : "—"
            let flag = "`\(setting.flag)" + (setting.type.placeholder.map { " " + $0 } ?? "") + "`"
            let names = ([setting.environmentName] + setting.alsoFrom).map { "`\($0)`" }.joined(separator: ", ")
            let help = setting.help + (setting.secret ? " Secret: never printed." : "")
            lines.append("| \(key) | \(flag) | \(names) | \(setting.defaultText.map { "`\($0)`" } ?? "") | \(help.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }

    /// What `upman serve --print-config` prints: every setting as TOML, the given ones with the
    /// source each came from, the others commented out with their defaults. Secrets print as
    /// `"<redacted>"`.
    var printed: String {
        var lines = ["# upman serve settings: the given ones with their source; the others commented out at their defaults"]
        for setting in Self.declarations where setting.inFile {
            guard let (value, origin) = given[setting.key] else {
                lines.append("# \(setting.key) = \(setting.defaultText.map { Self.defaultShown($0, of: setting) } ?? "(unset)")")
                continue
            }
            let shown = setting.secret ? Self.quoted("<redacted>") : Self.toml(Self.withoutPassword(value))
            lines.append("\(setting.key) = \(shown)  # \(origin)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A database URL's password masked (`postgres://user:***@host/db`); anything else as it is.
    private static func withoutPassword(_ value: SettingValue) -> SettingValue {
        guard case .text(let text) = value, let url = DatabaseURL(text) else { return value }
        return .text(url.redacted)
    }

    /// A default as TOML when it is a value (`8080`, `["sha256", "content-type"]`), quoted when it
    /// describes one (`"DATA/upman.db"`).
    private static func defaultShown(_ text: String, of setting: ServeSetting) -> String {
        guard text == text.lowercased(), !text.contains(" "), let value = try? setting.type.parse(text, key: setting.key, secret: false) else {
            return quoted(text)
        }
        if case .seconds = value { return quoted(text) }
        if case .bytes = value { return quoted(text) }
        return toml(value)
    }

    /// A value as TOML.
    private static func toml(_ value: SettingValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .boolean(let flag): String(flag)
        case .list(let items): "[" + items.map(quoted).joined(separator: ", ") + "]"
        case .seconds, .bytes, .text: quoted(value.text)
        }
    }

    /// A TOML basic string.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
