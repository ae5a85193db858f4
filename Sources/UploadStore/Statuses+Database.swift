import Foundation
import GRDB
import UploadModel

extension GroupStatus: DatabaseValueConvertible {}
extension FileStatus: DatabaseValueConvertible {}
extension PartStatus: DatabaseValueConvertible {}
extension JobStatus: DatabaseValueConvertible {}
extension UploadMethod: DatabaseValueConvertible {}
extension EventKind: DatabaseValueConvertible {}

extension ErrorDetail {
    /// Reads the `errorCode` / `errorMessage` column pair.
    static func from(_ row: Row) -> ErrorDetail? {
        guard let code: String = row["errorCode"] else { return nil }
        return ErrorDetail(code: code, message: row["errorMessage"] ?? "")
    }
}

extension PersistenceContainer {
    /// Writes an optional error into the `errorCode` / `errorMessage` column pair.
    mutating func setError(_ error: ErrorDetail?) {
        self["errorCode"] = error?.code
        self["errorMessage"] = error?.message
    }
}

extension Row {
    /// A time stored as epoch milliseconds.
    func date(_ column: String) -> Date {
        Timestamp.date(millis: self[column])
    }

    /// An optional time stored as epoch milliseconds.
    func date(_ column: String) -> Date? {
        (self[column] as Int64?).map(Timestamp.date(millis:))
    }
}
