import PostgresNIO
import UploadModel

/// Turns PostgreSQL failures into coded ``UploadError``s, as ``StoreError`` does for SQLite's.
enum PostgresFailure {
    /// The link has no open connection.
    static let closed = UploadError(.storeUnavailable, "the PostgreSQL connection is closed")

    /// `error` as an ``UploadError`` saying what failed while doing `what`; an UploadError passes.
    static func wrap(_ error: any Error, doing what: String) -> any Error {
        if error is UploadError { return error }
        guard let psql = error as? PSQLError else {
            return UploadError(.storeUnavailable, "database error during \(what): \(error)")
        }
        let message = psql.serverInfo?[.message] ?? "\(psql.code)"
        switch psql.serverInfo?[.sqlState] ?? "" {
        case let state where state.hasPrefix("23"):
            return UploadError(.conflict, "\(what) conflicts with existing data: \(message)")
        case "40001", "40P01", "55P03", "57014":
            return UploadError(.storeUnavailable, "database is busy (\(what)); try again")
        case "53100":
            return UploadError(.storeUnavailable, "database disk is full (\(what))")
        case "25006":
            return UploadError(.forbidden, "database is read-only (\(what))")
        case "":
            return UploadError(.storeUnavailable, "database unreachable during \(what): \(message)")
        default:
            return UploadError(.storeUnavailable, "database error during \(what): \(message)")
        }
    }
}
