import GRDB
import UploadModel

/// Turns database failures into coded ``UploadError``s that callers can map to HTTP.
enum StoreError {
    /// An ``UploadError`` passes through; SQLite failures get a code that says what happened.
    static func wrap(_ error: any Error, doing what: String) -> any Error {
        if error is UploadError { return error }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return UploadError(.storeUnavailable, "database is busy (\(what)); try again")
            case .SQLITE_CONSTRAINT:
                return UploadError(.conflict, "\(what) conflicts with existing data: \(db.message ?? "constraint failed")")
            case .SQLITE_FULL:
                return UploadError(.storeUnavailable, "database disk is full (\(what))")
            case .SQLITE_READONLY:
                return UploadError(.forbidden, "database is read-only (\(what))")
            default:
                return UploadError(.storeUnavailable, "database error during \(what): \(db.message ?? "\(db.resultCode)")")
            }
        }
        return error
    }
}
