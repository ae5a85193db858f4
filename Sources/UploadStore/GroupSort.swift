/// The orders a dashboard can list groups in.
public enum GroupSort: String, Sendable, CaseIterable, Hashable {
    /// Most recent activity first (by default).
    case lastActivity
    /// Creation time.
    case created
    /// Name, case-insensitively.
    case name
    /// Status name.
    case status
    /// Fraction of bytes uploaded.
    case progress
    /// Total size.
    case size
    /// Number of failed files.
    case errors

    /// The SQL ordering term (ascending).
    func sql(_ dialect: SQLDialect) -> String {
        switch self {
        case .lastActivity: "lastActivityAt"
        case .created: "createdAt"
        case .name: dialect.caseless("name")
        case .status: "status"
        case .progress: "CASE WHEN totalBytes = 0 THEN 0 ELSE \(dialect.real("bytesUploaded")) / totalBytes END"
        case .size: "totalBytes"
        case .errors: "failedFiles"
        }
    }
}
