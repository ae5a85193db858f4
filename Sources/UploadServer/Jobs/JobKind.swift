import UploadModel

/// A kind of processing job: what runs on a stored object after its upload, once per session, in
/// the order `jobs` lists the kinds.
///
/// A new kind is one new file with a type conforming to this protocol plus one line in
/// ``JobKinds/all``: the executor, the validation of `jobs`, `upman serve --help`, the OpenAPI
/// document's `JobKind` enum and the README's table of job kinds all read that list.
public protocol JobKind: Sendable {
    /// The name that `jobs` (flag, `UPMAN_JOBS`, TOML), the API's `ProcessingJob.kind` and the
    /// event log use, e.g. `sha256`.
    var name: String { get }
    /// One sentence on what the job does, for `--help` and the README.
    var summary: String { get }
    /// What a successful run records as the job's `output`.
    var records: String { get }
    /// What the kind needs besides the stored object, e.g. a setting; nil when nothing.
    var needs: String? { get }

    /// Why `configuration` cannot run this kind (e.g. a setting it needs is missing), worded for
    /// the operator who wrote it; nil when it can. Checked when `upman serve` starts.
    func problem(in configuration: ServerConfiguration) -> String?

    /// Runs the job once on `context`'s stored object.
    ///
    /// - Throws: an ``UploadError`` (retryable when its status is 5xx) or any other error
    ///   (retryable); the executor turns either into a failed ``JobOutcome``.
    func run(_ context: JobContext) async throws -> JobOutcome
}

extension JobKind {
    /// Needs nothing beyond the stored object.
    public var needs: String? { nil }

    /// Any configuration can run a kind that needs nothing.
    public func problem(in configuration: ServerConfiguration) -> String? { nil }
}
