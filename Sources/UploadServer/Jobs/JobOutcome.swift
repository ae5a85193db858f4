import UploadModel

/// How one run of a job ended.
public enum JobOutcome: Sendable {
    /// It worked; `output` is what it produced.
    case succeeded(output: String)
    /// It failed; `retryable` says whether another attempt could help; `output` is what it
    /// printed, kept on the job for the operator (the dashboard's inspector).
    case failed(ErrorDetail, retryable: Bool, output: String? = nil)
}
