import Foundation

/// A setting's value once read according to its ``SettingType``.
enum SettingValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case seconds(TimeInterval)
    case bytes(Int64)
    case list([String])
    case boolean(Bool)

    /// The text of a `.text` value (and of a choice), else its description.
    var text: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .seconds(let value): String(value)
        case .bytes(let value): String(value)
        case .list(let items): items.joined(separator: ",")
        case .boolean(let flag): String(flag)
        }
    }

    /// The number of an `.integer` value; 0 for another kind (declarations read their own type).
    var integer: Int { if case .integer(let value) = self { value } else { 0 } }

    /// The seconds of a `.seconds` value; 0 for another kind.
    var seconds: TimeInterval { if case .seconds(let value) = self { value } else { 0 } }

    /// The bytes of a `.bytes` value; 0 for another kind.
    var bytes: Int64 { if case .bytes(let value) = self { value } else { 0 } }

    /// The items of a `.list` value; empty for another kind.
    var list: [String] { if case .list(let items) = self { items } else { [] } }

    /// The flag of a `.boolean` value; false for another kind.
    var boolean: Bool { if case .boolean(let flag) = self { flag } else { false } }
}
