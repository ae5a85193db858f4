import Foundation
import NIOCore

/// Where a tus upload's bytes go, part by part: the storage's side of ``TusAppender``.
///
/// Bytes arrive in order. ``finishPart(_:size:crc32c:)`` is called when a part is whole and
/// answers a task that gives its entity tag once the part is kept (durable on disk, or uploaded to
/// S3);
/// ``keepPartial(bytes:)`` makes the unfinished part's bytes so far survive a restart.
protocol TusPartSink: AnyObject {
    /// Appends the next bytes of the current part.
    func append(_ buffer: ByteBuffer) async throws
    /// The current part, `partNumber` of `size` bytes with CRC-32C `crc32c`, is whole: starts
    /// keeping it and answers a task that ends with its entity tag (quoted) once it is kept, so the
    /// next part's bytes can arrive meanwhile.
    func finishPart(_ partNumber: Int, size: Int64, crc32c: UInt32) async throws -> Task<String, Error>
    /// Keeps the `bytes` of the current, unfinished part received so far.
    func keepPartial(bytes: Int64) async throws
    /// Releases what the sink holds.
    func close()
}
