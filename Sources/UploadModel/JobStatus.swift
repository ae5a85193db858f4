/// The status of a processing job that runs after a file's bytes have arrived.
public enum JobStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case queued = "QUEUED"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"
}
