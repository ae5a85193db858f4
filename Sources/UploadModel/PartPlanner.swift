/// Chooses single or multipart upload and the part size, within S3's limits.
public struct PartPlanner: Sendable, Hashable {
    /// One mebibyte.
    public static let mebibyte: Int64 = 1 << 20
    /// One tebibyte.
    public static let tebibyte: Int64 = 1 << 40

    /// Files of this size or more are uploaded in parts (default 8 MiB).
    public var multipartThreshold: Int64
    /// The part size used unless a file needs larger parts (default 8 MiB).
    public var defaultPartSize: Int64
    /// The smallest part size allowed for every part but the last (5 MiB, S3's minimum).
    public var minimumPartSize: Int64
    /// The largest part size (5 GiB, S3's maximum).
    public var maximumPartSize: Int64
    /// At most this many parts (10,000, S3's maximum).
    public var maximumParts: Int
    /// Without a requested part size, a big file's parts grow (in whole MiB, up to
    /// ``automaticPartSizeLimit``) so that it has at most this many (default 1,000): each part costs
    /// the controller two transactions and their events, whatever its size.
    public var automaticPartCount: Int = 1_000
    /// The largest part the automatic choice makes (default 32 MiB): the uploader holds a part in
    /// memory while it sends it, so 8 parts in flight hold at most 256 MiB.
    public var automaticPartSizeLimit: Int64 = 32 * mebibyte
    /// The largest file (5 TiB, S3's maximum object size).
    public var maximumFileSize: Int64

    /// Creates a planner; the defaults are S3's limits and upman's 8 MiB threshold and part size.
    public init(
        multipartThreshold: Int64 = 8 * mebibyte, defaultPartSize: Int64 = 8 * mebibyte,
        minimumPartSize: Int64 = 5 * mebibyte, maximumPartSize: Int64 = 5 * 1024 * mebibyte,
        maximumParts: Int = 10_000, maximumFileSize: Int64 = 5 * tebibyte
    ) {
        self.multipartThreshold = multipartThreshold
        self.defaultPartSize = defaultPartSize
        self.minimumPartSize = minimumPartSize
        self.maximumPartSize = maximumPartSize
        self.maximumParts = maximumParts
        self.maximumFileSize = maximumFileSize
    }

    /// Plans the upload of a file of `fileSize` bytes, with an optional preferred part size.
    ///
    /// Under the threshold a file goes in one PUT. Otherwise parts are `partSize`, never under the
    /// minimum; without one, the default (8 MiB) grows in whole MiB for a file that would need more
    /// than ``automaticPartCount`` parts, up to ``automaticPartSizeLimit`` (8 MiB up to 8 GiB, 32 MiB
    /// from 32 GiB). Either way they grow again when the file would need more than `maximumParts`.
    public func plan(fileSize: Int64, partSize requested: Int64? = nil) throws(UploadError) -> PartPlan {
        guard fileSize >= 0 else {
            throw UploadError(.invalidArgument, "size must not be negative (got \(fileSize))")
        }
        guard fileSize <= maximumFileSize else {
            throw UploadError(
                .fileTooLarge,
                "file is \(fileSize) bytes; the largest upload is \(maximumFileSize) bytes (5 TiB)")
        }
        if let requested {
            guard requested >= minimumPartSize, requested <= maximumPartSize else {
                throw UploadError(
                    .invalidPartSize,
                    "part size must be between \(minimumPartSize) and \(maximumPartSize) bytes (got \(requested))")
            }
        }
        guard fileSize >= multipartThreshold, fileSize > 0 else {
            return PartPlan(fileSize: fileSize, method: .single, partSize: fileSize, totalParts: 1)
        }
        var partSize = requested ?? defaultPartSize
        if requested == nil {
            let fewer = Self.ceilDiv(Self.ceilDiv(fileSize, Int64(automaticPartCount)), Self.mebibyte) * Self.mebibyte
            partSize = max(partSize, min(fewer, automaticPartSizeLimit))
        }
        let needed = Self.ceilDiv(fileSize, Int64(maximumParts))
        if needed > partSize {
            partSize = Self.ceilDiv(needed, Self.mebibyte) * Self.mebibyte
        }
        partSize = min(partSize, maximumPartSize)
        let parts = Int(Self.ceilDiv(fileSize, partSize))
        return PartPlan(fileSize: fileSize, method: .multipart, partSize: partSize, totalParts: parts)
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }
}
