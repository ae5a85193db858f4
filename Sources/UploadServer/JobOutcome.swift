import UploadModel

/// How one run of a job ended.
enum JobOutcome: Sendable {
    /// It worked; `output` is what it produced.
    case succeeded(output: String)
    /// It failed; `retryable` says whether another attempt could help.
    case failed(ErrorDetail, retryable: Bool)
}
