#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import UploadModel

/// Writes a stream of bytes into an upload file from a given offset on: the disk store's side of
/// a tus PATCH, where bytes arrive in order and cross part boundaries freely.
///
/// Bytes are gathered and written in runs of up to 1 MiB on the blocking-I/O thread pool
/// (``BlockingIO``); ``sync()`` writes what is gathered and, with ``Durability/durable``, waits until
/// it is on the disk (`fdatasync`). Not thread-safe: one request owns one appender.
public final class UploadFileAppender {
    private let file: OpenFile
    private let capacity: DiskCapacity?
    private let durability: Durability
    private var written: Int64
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0

    init(file: OpenFile, offset: Int64, capacity: DiskCapacity?, durability: Durability) {
        self.file = file
        self.written = offset
        self.capacity = capacity
        self.durability = durability
    }

    /// The offset the next byte goes to (bytes gathered but not yet written count).
    public private(set) var offset: Int64 {
        get { written + Int64(pendingBytes) }
        set { written = newValue - Int64(pendingBytes) }
    }

    /// Gathers `buffer` (kept, not copied) for the next write; writes when 1 MiB is gathered.
    public func append(_ buffer: ByteBuffer) async throws(UploadError) {
        guard buffer.readableBytes > 0 else { return }
        pending.append(buffer)
        pendingBytes += buffer.readableBytes
        if pendingBytes >= 1 << 20 { try await flush() }
    }

    /// Writes what is gathered at its offset in the file.
    public func flush() async throws(UploadError) {
        guard pendingBytes > 0 else { return }
        let buffers = pending
        let count = pendingBytes
        let position = written
        pending = []
        pendingBytes = 0
        let file = self.file
        let capacity = self.capacity
        try await BlockingIO.run("append to upload file") {
            try file.write(buffers, at: position, capacity: capacity, what: "append to upload file")
        }
        written += Int64(count)
    }

    /// Writes what is gathered and, when durable, waits until every byte written is on the disk.
    public func sync() async throws(UploadError) {
        try await flush()
        guard durability == .durable else { return }
        let file = self.file
        try await BlockingIO.run("sync upload file") { try file.syncData(what: "sync upload file") }
    }

    /// Writes what is gathered, then starts making every byte written so far durable without
    /// waiting for it: the task ends once they are on the disk (at once when not durable), so the
    /// next bytes can be taken in meanwhile.
    public func syncLater() async throws(UploadError) -> Task<Void, Error> {
        try await flush()
        guard durability == .durable else { return Task {} }
        let file = self.file
        return Task { try await BlockingIO.run("sync upload file") { try file.syncData(what: "sync upload file") } }
    }

    /// Closes the file; bytes gathered and not flushed are dropped.
    public func close() {
        pending = []
        pendingBytes = 0
        file.close()
    }
}
