import Foundation
import TOMLKit

/// Where a setting can come from, in order of precedence: a command-line flag, the environment
/// (`UPMAN_<KEY>`, then any ``ServeSetting/alsoFrom`` names), then the TOML config file
/// (`key = value`, read with TOMLKit: TOML 1.0, multi-line arrays and all).
struct SettingSources {
    /// Which source a value came from, for `--print-config`.
    enum Origin: Equatable, CustomStringConvertible {
        case flag(String)
        case environment(String)
        case file
        case unset

        var description: String {
            switch self {
            case .flag(let flag): "flag \(flag)"
            case .environment(let name): "environment \(name)"
            case .file: "config file"
            case .unset: "default"
            }
        }
    }

    /// Flags that were given, by setting key (snake_case).
    var flags: [String: String]
    /// The process environment.
    var environment: [String: String]
    /// The config file's top-level table, if one was named.
    var file: TOMLTable?

    /// Reads the TOML config at `path`.
    ///
    /// - Throws: ``ValidationFailure`` when the file cannot be read, is not TOML (with the line and
    ///   column TOMLKit reports), or sets a key no setting has.
    static func readFile(_ path: String, known: [ServeSetting]) throws -> TOMLTable {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationFailure("cannot read config file \(path)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ValidationFailure("\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw ValidationFailure("\(path): \(error)")
        }
        let keys = Set(known.filter(\.inFile).map(\.key))
        let unknown = table.keys.filter { !keys.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw ValidationFailure("\(path): unknown setting(s) \(unknown.joined(separator: ", ")) (see upman serve --help)")
        }
        return table
    }

    /// The value of `setting` from the first source that has it, and that source.
    func value(of setting: ServeSetting) throws -> (SettingValue, Origin)? {
        if let flag = flags[setting.key] {
            return (try setting.type.parse(flag, key: setting.key, secret: setting.secret), .flag(setting.flag))
        }
        for name in [setting.environmentName] + setting.alsoFrom {
            if let text = environment[name], !text.isEmpty {
                return (try setting.type.parse(text, key: setting.key, secret: setting.secret), .environment(name))
            }
        }
        guard setting.inFile, let item = file?[setting.key] else { return nil }
        return (try fileValue(item, of: setting), .file)
    }

    /// A value from the file: strings are read like a flag's text; numbers and booleans as
    /// themselves; an array only for a list of strings.
    private func fileValue(_ item: any TOMLValueConvertible, of setting: ServeSetting) throws -> SettingValue {
        let key = setting.key
        if let array = item.array {
            guard case .list = setting.type else { throw ValidationFailure("\(key) in the config file must not be an array") }
            return .list(try array.map { element in
                guard let text = element.string else { throw ValidationFailure("\(key) must list strings") }
                return text
            })
        }
        if item.table != nil { throw ValidationFailure("\(key) in the config file must not be a table") }
        if case .boolean = setting.type, let flag = item.bool { return .boolean(flag) }
        let text: String
        if let string = item.string {
            text = string
        } else if let number = item.int {
            text = String(number)
        } else if let number = item.double {
            text = String(number)
        } else if let flag = item.bool {
            text = String(flag)
        } else {
            throw ValidationFailure("\(key) in the config file must be a string, number or boolean")
        }
        return try setting.type.parse(text, key: key, secret: setting.secret)
    }

    /// `30`, `30s`, `250ms`, `15m`, `24h`, `7d` in seconds.
    static func parseDuration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let number = Double(trimmed.dropLast(suffix.count)) { return number * factor }
        }
        return Double(trimmed)
    }

    /// `8388608`, `8M`, `8MiB`, `8MB`, `1.5G` in bytes (binary multiples).
    static func parseSize(_ text: String) -> Int64? {
        var trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where trimmed.hasSuffix(suffix) && trimmed.count > suffix.count {
            trimmed.removeLast(suffix.count)
            break
        }
        let factors: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var factor = 1.0
        if let last = trimmed.last, let multiple = factors[last] {
            factor = multiple
            trimmed.removeLast()
        }
        guard let number = Double(trimmed), number >= 0 else { return nil }
        let value = number * factor
        guard value < 9.2e18 else { return nil }
        return Int64(value.rounded())
    }
}
