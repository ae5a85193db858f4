import Foundation

/// A value rows are ordered by.
enum SortValue: Comparable {
    /// Numbers, times (as seconds) and fractions.
    case number(Double)
    /// Text, compared case-insensitively (the caller lowercases).
    case text(String)

    /// A time as a number.
    static func time(_ date: Date) -> SortValue { .number(date.timeIntervalSince1970) }
}
