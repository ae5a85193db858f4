import Foundation
import UploadModel

/// A Swift value that can be read from a column of a ``SQLRow``.
public protocol SQLDecodable {
    /// The value in `value`, read from `column`.
    ///
    /// - Throws: `UploadError` `.storeUnavailable` when the column holds another kind of value.
    static func decode(_ value: SQLValue, column: String) throws -> Self
}

/// The error for a column holding what its reader did not expect.
func columnMismatch(_ value: SQLValue, column: String, expected: String) -> UploadError {
    UploadError(.storeUnavailable, "database column \(column) holds \(value), not \(expected)")
}

extension String: SQLDecodable {
    /// Text (a number is read as its decimal digits).
    public static func decode(_ value: SQLValue, column: String) throws -> String {
        switch value {
        case .text(let text): text
        case .integer(let number): String(number)
        default: throw columnMismatch(value, column: column, expected: "text")
        }
    }
}

extension Int64: SQLDecodable {
    /// An integer; a boolean is 0 or 1, and a whole double or decimal text (PostgreSQL's `numeric`
    /// sums) is read as its integer.
    public static func decode(_ value: SQLValue, column: String) throws -> Int64 {
        switch value {
        case .integer(let number): return number
        case .boolean(let flag): return flag ? 1 : 0
        case .real(let number):
            if let whole = Int64(exactly: number) { return whole }
        case .text(let text):
            if let number = Int64(text) { return number }
            if let number = Decimal(string: text), let whole = Int64(exactly: NSDecimalNumber(decimal: number).doubleValue) {
                return whole
            }
        default: break
        }
        throw columnMismatch(value, column: column, expected: "an integer")
    }
}

extension Int: SQLDecodable {
    /// An integer (see ``Int64``'s reading).
    public static func decode(_ value: SQLValue, column: String) throws -> Int {
        Int(try Int64.decode(value, column: column))
    }
}

extension Bool: SQLDecodable {
    /// A boolean; an integer is true when not 0 (SQLite keeps booleans as integers).
    public static func decode(_ value: SQLValue, column: String) throws -> Bool {
        switch value {
        case .boolean(let flag): flag
        case .integer(let number): number != 0
        default: throw columnMismatch(value, column: column, expected: "a boolean")
        }
    }
}

extension Double: SQLDecodable {
    /// A double; an integer is widened.
    public static func decode(_ value: SQLValue, column: String) throws -> Double {
        switch value {
        case .real(let number): number
        case .integer(let number): Double(number)
        default: throw columnMismatch(value, column: column, expected: "a number")
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    /// nil for NULL, else the wrapped value.
    public static func decode(_ value: SQLValue, column: String) throws -> Wrapped? {
        if case .null = value { return nil }
        return try Wrapped.decode(value, column: column)
    }
}

extension SQLDecodable where Self: RawRepresentable, RawValue == String {
    /// The case whose raw value the text is.
    public static func decode(_ value: SQLValue, column: String) throws -> Self {
        let raw = try String.decode(value, column: column)
        guard let decoded = Self(rawValue: raw) else {
            throw columnMismatch(value, column: column, expected: "one of \(Self.self)'s values")
        }
        return decoded
    }
}

extension GroupStatus: SQLDecodable {}
extension FileStatus: SQLDecodable {}
extension PartStatus: SQLDecodable {}
extension JobStatus: SQLDecodable {}
extension UploadMethod: SQLDecodable {}
extension EventKind: SQLDecodable {}
