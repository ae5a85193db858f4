import Foundation

/// One setting of `upman serve`, declared once: its key, type, default, help and whether it is a
/// secret, and how its value lands in ``ServeSettings``.
///
/// The key (snake_case) is the TOML key; the flag is `--` plus the key with dashes
/// (`exec_timeout` → `--exec-timeout`); the environment variable is `UPMAN_` plus the key in
/// capitals (`UPMAN_EXEC_TIMEOUT`). `--help`, `--print-config` and the README's settings table are
/// made from the same declaration (``ServeSettings/declarations``).
struct ServeSetting: Sendable {
    /// The TOML key, snake_case.
    let key: String
    /// How the value is read.
    let type: SettingType
    /// The default as `--help` shows it; nil when there is none (the setting is then unset). A
    /// default in lower case without spaces is the value itself (a test applies it and finds the
    /// server's own default); one with capitals or spaces describes it (`DATA/upman.db`).
    let defaultText: String?
    /// One or two sentences for `--help` and the README.
    let help: String
    /// Whether the value is a credential: never printed, never echoed in an error.
    let secret: Bool
    /// Further environment variables read after `UPMAN_<KEY>` and before the file (AWS's own).
    let alsoFrom: [String]
    /// Whether the TOML file may set it (false for `config`, which names the file).
    let inFile: Bool
    /// Puts a value into the settings being resolved.
    let apply: @Sendable (inout ServeSettings, SettingValue) throws -> Void

    init(
        _ key: String, _ type: SettingType, default defaultText: String? = nil, secret: Bool = false,
        alsoFrom: [String] = [], inFile: Bool = true, help: String,
        apply: @escaping @Sendable (inout ServeSettings, SettingValue) throws -> Void
    ) {
        self.key = key
        self.type = type
        self.defaultText = defaultText
        self.help = help
        self.secret = secret
        self.alsoFrom = alsoFrom
        self.inFile = inFile
        self.apply = apply
    }

    /// The command-line flag, e.g. `--exec-timeout`.
    var flag: String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// The environment variable, e.g. `UPMAN_EXEC_TIMEOUT`.
    var environmentName: String { "UPMAN_" + key.uppercased() }
}
