/// The lifecycle status of one file's upload session.
public enum FileStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case pending = "PENDING"
    case uploading = "UPLOADING"
    case uploaded = "UPLOADED"
    case processing = "PROCESSING"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"
    case expired = "EXPIRED"

    /// Whether the session can still make progress without an operator.
    public var isMoving: Bool {
        switch self {
        case .pending, .uploading, .uploaded, .processing: true
        case .completed, .failed, .cancelled, .expired: false
        }
    }

    /// Whether the session is finished for good: COMPLETED, CANCELLED or EXPIRED (a FAILED one
    /// can be retried).
    public var isFinal: Bool { self == .completed || self == .cancelled || self == .expired }

    /// Whether the session ended in a way that needs attention (failed or expired).
    public var isFailure: Bool { self == .failed || self == .expired }
}
