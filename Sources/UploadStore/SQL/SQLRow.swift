import Foundation
import UploadModel

/// One row of a result: values by column name. Names match without regard to case, since
/// PostgreSQL folds unquoted names (`userId`) to lower case and SQLite keeps them as written.
public struct SQLRow: Sendable {
    /// The result's column names (shared by every row of one result).
    let columns: [String]
    /// The values, in column order.
    let values: [SQLValue]

    /// A row of `values` under `columns`.
    init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`.
    ///
    /// - Throws: `UploadError` `.storeUnavailable` when the column holds another kind of value (or
    ///   is missing, for a non-optional `T`).
    public subscript<T: SQLDecodable>(_ column: String) -> T {
        get throws { try T.decode(value(column), column: column) }
    }

    /// The value in column `index` (0-based), for a statement's first column.
    public func at<T: SQLDecodable>(_ index: Int) throws -> T {
        guard values.indices.contains(index) else {
            throw UploadError(.storeUnavailable, "database row has no column \(index)")
        }
        return try T.decode(values[index], column: columns[index])
    }

    /// The raw value of `column`; NULL when the row has no such column (a database of an older
    /// version read as it is).
    public func value(_ column: String) -> SQLValue {
        if let index = columns.firstIndex(of: column) { return values[index] }
        if let index = columns.firstIndex(where: { $0.caseInsensitiveCompare(column) == .orderedSame }) {
            return values[index]
        }
        return .null
    }

    /// Whether the row has `column`.
    public func has(_ column: String) -> Bool {
        columns.contains { $0.caseInsensitiveCompare(column) == .orderedSame }
    }

    /// A time stored as epoch milliseconds.
    public func date(_ column: String) throws -> Date {
        Timestamp.date(millis: try self[column] as Int64)
    }

    /// An optional time stored as epoch milliseconds.
    public func date(_ column: String) throws -> Date? {
        (try self[column] as Int64?).map(Timestamp.date(millis:))
    }

    /// The `errorCode` / `errorMessage` column pair, when an error is recorded.
    func errorDetail() throws -> ErrorDetail? {
        guard let code: String = try self["errorCode"] else { return nil }
        return ErrorDetail(code: code, message: try self["errorMessage"] ?? "")
    }
}

extension SQLRow: CustomStringConvertible {
    /// `[name:value …]`, for tests and diagnostics.
    public var description: String {
        "[" + zip(columns, values).map { "\($0):\($1)" }.joined(separator: " ") + "]"
    }
}
