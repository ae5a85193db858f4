/// Reads `upman serve`'s command line into setting values by key: `--port 8080`,
/// `--port=8080`, a boolean setting's bare flag (`--s3-path-style`) for true, and a list given
/// once as `a,b` or repeated (`--jobs sha256 --jobs exec`). A setting that is not a list may be
/// given again: the last one counts, so a script can append an override.
enum SettingArguments {
    /// The flags in `arguments`, by setting key.
    ///
    /// - Throws: ``ValidationFailure`` for a flag no setting has, or a flag without its value.
    ///   A list's repeats are joined with commas; another setting's last value counts.
    static func parse(_ arguments: [String], settings: [ServeSetting]) throws -> [String: String] {
        let byFlag = Dictionary(uniqueKeysWithValues: settings.map { ($0.flag, $0) })
        var values: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            let (flag, inline) = split(argument)
            guard let setting = byFlag[flag] else {
                throw ValidationFailure("unknown option '\(argument)' (see upman serve --help)")
            }
            let value: String
            if let inline {
                value = inline
            } else if case .boolean = setting.type {
                value = "true"
            } else {
                guard index < arguments.endIndex else { throw ValidationFailure("\(flag) needs a value") }
                value = arguments[index]
                index += 1
            }
            if case .list = setting.type, let earlier = values[setting.key] {
                values[setting.key] = earlier + "," + value
            } else {
                values[setting.key] = value
            }
        }
        return values
    }

    /// `--key=value` as (`--key`, `value`); anything else as (itself, nil).
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
