import Foundation

/// Where a setting can come from, in order of precedence: a command-line flag, the environment
/// (`UPMAN_<KEY>`), then the TOML config file (`key = value`).
struct SettingSources {
    /// Flags that were given, by setting key (snake_case).
    var flags: [String: String]
    /// The process environment.
    var environment: [String: String]
    /// The config file, if one was named.
    var file: TOMLDocument?

    /// The environment variable that carries `key`.
    static func environmentName(_ key: String) -> String { "UPMAN_" + key.uppercased() }

    /// The raw text of a setting from the first source that has it.
    func string(_ key: String) throws -> String? {
        if let flag = flags[key] { return flag }
        if let env = environment[Self.environmentName(key)], !env.isEmpty { return env }
        switch file?[key] {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .float(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .array: throw ValidationFailure("\(key) in the config file must not be an array")
        case nil: return nil
        }
    }

    /// A setting that AWS's own environment variables (`aws`, in order) may also carry: after the
    /// flag and `UPMAN_<KEY>`, before the config file.
    func string(_ key: String, aws names: [String]) throws -> String? {
        if let flag = flags[key] { return flag }
        if let env = environment[Self.environmentName(key)], !env.isEmpty { return env }
        for name in names {
            if let env = environment[name], !env.isEmpty { return env }
        }
        return try string(key)
    }

    /// An integer setting.
    func int(_ key: String) throws -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text) else { throw ValidationFailure("\(key) must be a whole number, not '\(text)'") }
        return value
    }

    /// A duration in seconds: a number, or a number with s, m, h or d.
    func seconds(_ key: String) throws -> TimeInterval? {
        guard let text = try string(key) else { return nil }
        guard let value = Self.parseDuration(text), value >= 0 else {
            throw ValidationFailure("\(key) must be a duration such as 30, 30s, 15m, 24h or 7d, not '\(text)'")
        }
        return value
    }

    /// A size in bytes: a number, or a number with K, M, G, T (powers of 1024; KiB, MB… also read).
    func bytes(_ key: String) throws -> Int64? {
        guard let text = try string(key) else { return nil }
        guard let value = Self.parseSize(text) else {
            throw ValidationFailure("\(key) must be a size such as 8388608, 8M or 8MiB, not '\(text)'")
        }
        return value
    }

    /// A list: a TOML array, or comma-separated text from a flag or the environment.
    func list(_ key: String) throws -> [String]? {
        if flags[key] == nil, environment[Self.environmentName(key)] == nil, case .array(let items)? = file?[key] {
            return try items.map { item in
                guard case .string(let text) = item else { throw ValidationFailure("\(key) must list strings") }
                return text
            }
        }
        guard let text = try string(key) else { return nil }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `30`, `30s`, `15m`, `24h`, `7d` in seconds.
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

/// A configuration value that cannot be used, worded for the person who wrote it.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
