import UploadModel

/// How `upman put` uploads.
public struct UploadOptions: Sendable {
    /// The group's name (default: the first path's name).
    public var groupName: String
    /// Preferred part size; the server's default when nil.
    public var partSize: Int64?
    /// Parts in flight at once, across all files (default 8).
    public var concurrency: Int
    /// Retries of each part.
    public var retry: RetryPolicy
    /// A group or session id to resume instead of starting anew.
    public var resumeId: String?
    /// Whether to wait for processing jobs to finish (a file counts as done only when COMPLETED).
    public var waitForProcessing: Bool
    /// Which checksums go with each part (default CRC-32C only).
    public var checksum: ChecksumMode
    /// Files smaller than this many bytes are initiated in batches (default 8 MiB, the server's
    /// default multipart threshold: the files sent in one PUT).
    public var batchBelow: Int64 = 8 << 20
    /// Files per batch `initiate`, 1 to 1,000 (default 1,000); 1 initiates every file alone.
    public var batchLimit: Int = ControllerRequest.InitiateBatch.maximumFiles

    /// Creates options.
    public init(
        groupName: String, partSize: Int64? = nil, concurrency: Int = 8, retry: RetryPolicy = RetryPolicy(),
        resumeId: String? = nil, waitForProcessing: Bool = true, checksum: ChecksumMode = .crc32c
    ) {
        self.checksum = checksum
        self.groupName = groupName
        self.partSize = partSize
        self.concurrency = concurrency
        self.retry = retry
        self.resumeId = resumeId
        self.waitForProcessing = waitForProcessing
    }
}
