#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import UploadModel

/// Streams one part's bytes into its place in the upload file, checking size and checksums.
///
/// Not thread-safe: one request owns one writer. Several writers may fill different parts of
/// the same file at once.
public final class PartWriter {
    /// The part being written.
    public let part: PlannedPart
    private let fd: Int32
    private var written: Int64 = 0
    private var checksums: RunningChecksums
    private let declared: PartChecksums
    private var closed = false
    private let capacity: DiskCapacity?

    init(path: String, part: PlannedPart, declared: PartChecksums, capacity: DiskCapacity?) throws(UploadError) {
        self.part = part
        self.declared = declared
        self.capacity = capacity
        checksums = RunningChecksums(wantSHA256: declared.sha256 != nil, wantCRC32C: declared.crc32c != nil)
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw StorageError.missing("the upload file of part \(part.partNumber)") }
            throw StorageError.io("open upload file", errno: errno)
        }
        self.fd = fd
    }

    deinit {
        if !closed { close(fd) }
    }

    /// Bytes received so far.
    public var bytesWritten: Int64 { written }

    /// Writes the next bytes of the part; refuses (413) anything beyond the planned size.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(UploadError) {
        guard !bytes.isEmpty else { return }
        guard written + Int64(bytes.count) <= part.size else {
            throw UploadError(.payloadTooLarge, "part \(part.partNumber) is planned as \(part.size) bytes; more arrived")
        }
        checksums.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let start = bytes.baseAddress! + offset
            let count = bytes.count - offset
            let position = off_t(part.offset + written)
            var failure: Int32 = 0
            let fd = self.fd
            let attempt = { () -> Int in
                let result = pwrite(fd, start, count, position)
                if result < 0 { failure = errno }
                return result
            }
            let result = try capacity?.write(fd: fd, attempt) ?? attempt()
            if result < 0 {
                if failure == EINTR { continue }
                throw StorageError.io("write part \(part.partNumber)", errno: failure)
            }
            offset += result
            written += Int64(result)
        }
    }

    /// Ends the part: checks it is complete and its checksums match; returns its quoted ETag.
    public func finish() throws(UploadError) -> String {
        closeFile()
        guard written == part.size else {
            throw UploadError(.badRequest, "part \(part.partNumber) is \(part.size) bytes; only \(written) arrived")
        }
        let md5 = try checksums.finish(against: declared, partNumber: part.partNumber)
        return "\"\(md5)\""
    }

    /// Ends the part without keeping anything (the bytes already written are simply overwritten
    /// when the part is sent again).
    public func discard() {
        closeFile()
    }

    private func closeFile() {
        guard !closed else { return }
        closed = true
        close(fd)
    }
}
