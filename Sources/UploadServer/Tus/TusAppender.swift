import Foundation
import NIOCore
import UploadModel

/// One run of bytes into a tus upload (a PATCH body, a creation-with-upload body, or the partial
/// uploads of a concatenation), cut along the session's parts: each part that becomes whole goes
/// to the sink to be kept, and is reported with its entity tag and CRC-32C. Pure bookkeeping over
/// a ``TusPartSink``; the caller records what it reports. Used by one task at a time (a write
/// may hand it to a task it then waits for), never by two at once.
final class TusAppender: @unchecked Sendable {
    /// A part made whole by this run.
    struct FinishedPart: Sendable, Hashable {
        /// Its number.
        var partNumber: Int
        /// Its size in bytes.
        var size: Int64
        /// Its entity tag, quoted.
        var etag: String
        /// Its CRC-32C as S3 writes it (base64).
        var checksum: String
    }

    private let sink: TusPartSink
    /// The size of every part but the last.
    let partSize: Int64
    /// The upload's length; nil while it is deferred.
    let length: Int64?
    private let totalParts: Int
    /// The largest offset a deferred upload may reach.
    private let maximum: Int64
    /// The offset after the bytes accepted so far.
    private(set) var offset: Int64
    /// The part the next byte belongs to.
    private(set) var part: Int
    /// Bytes of ``part`` received (before this run, and in it).
    private(set) var inPart: Int64
    private var crc: CRC32C
    /// The checksum of this run's bytes the client stated, if it did.
    var checksum: TusChecksum?
    /// Parts made whole and kept by this run, in order.
    private(set) var finished: [FinishedPart] = []
    /// The part made whole last, while the sink keeps it (one at a time: the next part fills meanwhile).
    private var keeping: Task<FinishedPart, Error>?

    /// Starts at the session's durable `offset`, continuing the partial part `tus` records.
    init(sink: TusPartSink, session: UploadSession, tus: TusUpload, offset: Int64, maximum: Int64) {
        self.sink = sink
        self.partSize = session.partSize
        self.length = tus.lengthDeferred ? nil : session.size
        self.totalParts = session.totalParts
        self.maximum = maximum
        self.offset = offset
        if partSize > 0 {
            part = Int(offset / partSize) + 1
            inPart = offset - Int64(part - 1) * partSize
        } else {
            part = 1
            inPart = 0
        }
        crc = inPart > 0 && tus.partialPart == part ? CRC32C(resuming: tus.partialCRC32C) : CRC32C()
    }

    /// The size of part `number`.
    func size(of number: Int) -> Int64 {
        guard let length else { return partSize }
        return number == totalParts ? length - Int64(number - 1) * partSize : partSize
    }

    /// The CRC-32C of the bytes of ``part`` received so far.
    var partialCRC32C: UInt32 { crc.value }

    /// Accepts the next bytes: each part they complete is kept by the sink, then handed to
    /// `whole` (which may record it at once) once kept, while the next part's bytes arrive.
    ///
    /// - Throws: `payloadTooLarge` (413) for bytes beyond the length (or, deferred, the largest
    ///   upload); the sink's errors.
    func accept(_ buffer: ByteBuffer, whole: (FinishedPart) async throws -> Void) async throws {
        var rest = buffer
        checksum?.update(buffer)
        while rest.readableBytes > 0 {
            if let length, offset >= length {
                throw UploadError(.payloadTooLarge, "the upload is \(length) bytes (Upload-Length); more arrived")
            }
            if length == nil, offset >= maximum {
                throw UploadError(.payloadTooLarge, "an upload is at most \(maximum) bytes; more arrived")
            }
            let room = size(of: part) - inPart
            let count = Int(min(room, Int64(rest.readableBytes)))
            guard let slice = rest.readSlice(length: count) else { break }
            slice.withUnsafeReadableBytes { crc.update($0) }
            try await sink.append(slice)
            inPart += Int64(count)
            offset += Int64(count)
            if inPart == size(of: part) { try await finishPart(whole) }
        }
    }

    /// Finishes the part being filled when it is already whole: a length declared now (deferred
    /// until this write) can end the upload inside bytes kept earlier, with no byte to come.
    func finishIfWhole(whole: (FinishedPart) async throws -> Void) async throws {
        guard inPart > 0, inPart == size(of: part) else { return }
        try await finishPart(whole)
    }

    /// Finishes the one, empty part of a zero-byte upload.
    func finishEmptyUpload(whole: (FinishedPart) async throws -> Void) async throws {
        guard length == 0, offset == 0, part == 1, finished.isEmpty, keeping == nil else { return }
        try await finishPart(whole)
        try await drain(whole: whole)
    }

    /// Keeps the bytes of the unfinished part received so far (a no-op when there are none).
    func keepPartial() async throws {
        guard inPart > 0 else { return }
        try await sink.keepPartial(bytes: inPart)
    }

    /// Waits until the part made whole last is kept, and hands it to `whole`. Call it when the bytes
    /// end (or break off), before ``keepPartial()``.
    func drain(whole: (FinishedPart) async throws -> Void) async throws {
        guard let keeping else { return }
        self.keeping = nil
        let done = try await keeping.value
        finished.append(done)
        try await whole(done)
    }

    /// Starts keeping the current part; the one before it, kept meanwhile, goes to `whole` first.
    private func finishPart(_ whole: (FinishedPart) async throws -> Void) async throws {
        let etag = try await sink.finishPart(part, size: inPart, crc32c: crc.value)
        try await drain(whole: whole)
        let number = part, size = inPart, checksum = crc.base64
        keeping = Task { FinishedPart(partNumber: number, size: size, etag: try await etag.value, checksum: checksum) }
        part += 1
        inPart = 0
        crc = CRC32C()
    }
}
