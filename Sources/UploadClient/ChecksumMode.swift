/// Which checksums `upman put` sends with each part (`--checksum`).
public enum ChecksumMode: String, Sendable, CaseIterable {
    /// CRC-32C (`x-amz-checksum-crc32c`) to the embedded store, which checks it as the bytes
    /// stream; nothing extra to S3, which computes its own ETag. The default: the CPU's CRC32
    /// instruction makes it nearly free.
    case crc32c
    /// Also `Content-MD5` on every part, to any storage (for S3 services that demand it). MD5 is
    /// the slowest common digest: it costs a pass over every byte on one core.
    case md5
}
