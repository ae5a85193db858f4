import Foundation

/// The kind of value a ``ServeSetting`` takes, how its text is read and how `--help` names it.
enum SettingType: Sendable {
    /// Free text (a path, a URL, a name).
    case text
    /// A whole number, optionally within `range`.
    case integer(ClosedRange<Int>? = nil)
    /// A duration: `30`, `30s`, `250ms`, `15m`, `24h`, `7d`.
    case duration
    /// A size in bytes: `8388608`, `8M`, `8MiB`, `1.5G` (binary multiples).
    case size
    /// A list: a TOML array, or comma-separated text from a flag or the environment.
    case list
    /// true or false; as a flag, its presence means true.
    case boolean
    /// One of `choices`, compared without case.
    case choice([String])

    /// The placeholder `--help` shows after the flag; nil for a boolean, which takes no value.
    var placeholder: String? {
        switch self {
        case .text: "<text>"
        case .integer: "<n>"
        case .duration: "<duration>"
        case .size: "<size>"
        case .list: "<a,b,...>"
        case .boolean: nil
        case .choice(let choices): "<" + choices.joined(separator: "|") + ">"
        }
    }

    /// Reads `text`, the value of the setting `key`.
    ///
    /// - Throws: ``ValidationFailure`` naming the setting and the expected form; the value is
    ///   quoted unless `secret`.
    func parse(_ text: String, key: String, secret: Bool) throws -> SettingValue {
        let shown = secret ? "" : ", not '\(text)'"
        switch self {
        case .text:
            return .text(text)
        case .integer(let range):
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationFailure("\(key) must be a whole number\(shown)")
            }
            if let range, !range.contains(value) {
                throw ValidationFailure("\(key) must be \(range.lowerBound)...\(range.upperBound), not \(value)")
            }
            return .integer(value)
        case .duration:
            guard let value = SettingSources.parseDuration(text), value >= 0 else {
                throw ValidationFailure("\(key) must be a duration such as 30, 30s, 15m, 24h or 7d\(shown)")
            }
            return .seconds(value)
        case .size:
            guard let value = SettingSources.parseSize(text) else {
                throw ValidationFailure("\(key) must be a size such as 8388608, 8M or 8MiB\(shown)")
            }
            return .bytes(value)
        case .list:
            return .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes": return .boolean(true)
            case "false", "0", "no": return .boolean(false)
            default: throw ValidationFailure("\(key) must be true or false\(shown)")
            }
        case .choice(let choices):
            let lowered = text.lowercased()
            guard choices.contains(lowered) else {
                throw ValidationFailure("\(key) must be \(Self.either(choices))\(shown)")
            }
            return .text(lowered)
        }
    }

    /// `a or b`, `a, b or c`.
    static func either(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
    }
}
