#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import UploadModel

/// Streams one part's bytes into its place in the upload file, checking size and checksums.
///
/// Bytes are checked and hashed as they arrive and written in runs of up to ``flushSize`` bytes
/// on the blocking-I/O thread pool (``BlockingIO``), so the request's task only ever waits, never
/// holds a thread while the disk works. With ``Durability/durable`` the part's bytes reach the
/// disk (`fdatasync`) before ``finish()`` returns, so a part is never acknowledged before it would
/// survive a power loss.
///
/// Not thread-safe: one request owns one writer. Several writers may fill different parts of
/// the same file at once.
public final class PartWriter {
    /// Bytes gathered before one write to the file.
    static let flushSize = 1 << 20

    /// The part being written.
    public let part: PlannedPart
    private let file: OpenFile
    private var accepted: Int64 = 0
    private var flushed: Int64 = 0
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private var checksums: RunningChecksums
    private let declared: PartChecksums
    private let capacity: DiskCapacity?
    private let durability: Durability

    private init(file: OpenFile, part: PlannedPart, declared: PartChecksums, computeSHA256: Bool, capacity: DiskCapacity?,
                 durability: Durability) {
        self.file = file
        self.part = part
        self.declared = declared
        self.capacity = capacity
        self.durability = durability
        checksums = RunningChecksums(declared: declared, computeSHA256: computeSHA256)
    }

    /// Opens the upload file at `path` for one part.
    ///
    /// - Throws: `notFound` when the upload file is gone; `storageError` when it cannot be opened.
    static func opening(
        path: String, part: PlannedPart, declared: PartChecksums, computeSHA256: Bool, capacity: DiskCapacity?,
        durability: Durability
    ) async throws(UploadError) -> PartWriter {
        let number = part.partNumber
        let file = try await BlockingIO.run("open upload file") {
            try OpenFile.existing(path, O_WRONLY, missing: "the upload file of part \(number)", what: "open upload file")
        }
        return PartWriter(
            file: file, part: part, declared: declared, computeSHA256: computeSHA256, capacity: capacity, durability: durability)
    }

    /// Bytes received so far (hashed and accepted; up to ``flushSize`` of them may not have reached
    /// the file yet).
    public var bytesWritten: Int64 { accepted }

    /// Checks, hashes and gathers the next bytes of the part for the next write to the file (the
    /// buffer is kept, not copied); refuses (413) anything beyond the planned size. Call
    /// ``flush()`` when ``flushIsDue``.
    public func accept(_ buffer: ByteBuffer) throws(UploadError) {
        let count = buffer.readableBytes
        guard count > 0 else { return }
        guard accepted + Int64(count) <= part.size else {
            throw UploadError(.payloadTooLarge, "part \(part.partNumber) is planned as \(part.size) bytes; more arrived")
        }
        buffer.withUnsafeReadableBytes { checksums.update($0) }
        pending.append(buffer)
        pendingBytes += count
        accepted += Int64(count)
    }

    /// Whether enough bytes are gathered for ``flush()`` to write them.
    public var flushIsDue: Bool { pendingBytes >= Self.flushSize }

    /// Writes the gathered bytes at their offset in the upload file, on the blocking thread pool.
    public func flush() async throws(UploadError) {
        guard pendingBytes > 0 else { return }
        let buffers = pending
        let count = pendingBytes
        pending = []
        pendingBytes = 0
        let position = part.offset + flushed
        let number = part.partNumber
        let file = self.file
        let capacity = self.capacity
        try await BlockingIO.run("write part \(number)") {
            try file.write(buffers, at: position, capacity: capacity, what: "write part \(number)")
        }
        flushed += Int64(count)
    }

    /// Ends the part: writes what is gathered, checks it is complete and its checksums match, and
    /// (durable) waits until its bytes are on the disk; returns its ETag and checksums.
    ///
    /// - Throws: `badRequest` when fewer bytes than planned arrived; `checksumMismatch` (422) when a
    ///   declared checksum differs; `storageError` when the disk refuses the write or the sync.
    public func finish() async throws(UploadError) -> ReceivedPart {
        try await flush()
        guard accepted == part.size else {
            file.close()
            throw UploadError(.badRequest, "part \(part.partNumber) is \(part.size) bytes; only \(accepted) arrived")
        }
        let received: ReceivedPart
        do {
            received = try checksums.finish(against: declared, partNumber: part.partNumber)
        } catch {
            file.close()
            throw error
        }
        if durability == .durable, part.size > 0 {
            let file = self.file
            let number = part.partNumber
            try await BlockingIO.run("sync part \(number)") { try file.syncData(what: "sync part \(number)") }
        }
        file.close()
        return received
    }

    /// Ends the part without keeping anything (the bytes already written are simply overwritten
    /// when the part is sent again).
    public func discard() {
        pending = []
        pendingBytes = 0
        file.close()
    }
}
