/// The orders a dashboard can list a group's files in.
public enum SessionSort: String, Sendable, CaseIterable, Hashable {
    /// Creation time (by default).
    case created
    /// Most recent activity.
    case lastActivity
    /// File name, case-insensitively.
    case name
    /// Status name.
    case status
    /// Size.
    case size
    /// Fraction of bytes uploaded.
    case progress

    /// The SQL ordering term (ascending).
    func sql(_ dialect: SQLDialect) -> String {
        switch self {
        case .created: "createdAt"
        case .lastActivity: "lastActivityAt"
        case .name: dialect.caseless("fileName")
        case .status: "status"
        case .size: "size"
        case .progress: "CASE WHEN size = 0 THEN 0 ELSE \(dialect.real("bytesUploaded")) / size END"
        }
    }
}
