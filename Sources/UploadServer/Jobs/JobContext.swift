import ObjectStorage
import UploadModel

/// What one run of a job works with: the session whose object it processes, the storage that holds
/// the object, and the server's configuration (for kinds with settings of their own).
public struct JobContext: Sendable {
    /// The session, in PROCESSING, whose stored object the job reads.
    public let session: UploadSession
    /// Where the object is: the embedded disk store or an S3 bucket.
    public let storage: any ObjectStorage
    /// The running server's configuration.
    public let configuration: ServerConfiguration
}
