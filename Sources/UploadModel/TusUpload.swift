import Foundation

/// What a session uploaded through tus (tus.io protocol 1.0.0) keeps beside the session: the
/// metadata it was created with, whether its length is still unknown, its place in a
/// concatenation, and the bytes of its current, unfinished part.
///
/// A tus upload is a session like any other: its bytes fill the session's planned parts in order,
/// and a part is UPLOADED once every byte of it is durable. The tus offset is therefore the bytes
/// of the UPLOADED parts from part 1 on, plus ``partialBytes`` of the next part (see
/// ``offset(parts:)``). While the length is deferred the parts have no rows yet: the parts already
/// filled wait in ``filledParts`` until the length is declared.
public struct TusUpload: Codable, Sendable, Hashable {
    /// The session.
    public var sessionId: String
    /// The `Upload-Metadata` header as the client sent it (keys and base64 values).
    public var metadata: String?
    /// Whether the length is still unknown (`Upload-Defer-Length: 1`).
    public var lengthDeferred: Bool
    /// `partial` for a partial upload, `final;URL URL…` for a final one, nil otherwise.
    public var concat: String?
    /// The part that ``partialBytes`` belong to (0: none).
    public var partialPart: Int
    /// Bytes of ``partialPart`` that are durable.
    public var partialBytes: Int64
    /// The CRC-32C of those bytes (continued as more arrive: ``CRC32C/init(resuming:)``).
    public var partialCRC32C: UInt32
    /// Parts filled while the length was deferred, not yet recorded as part rows.
    public var filledParts: [FilledPart]

    /// A part filled before the session's plan was known.
    public struct FilledPart: Codable, Sendable, Hashable {
        /// Its number.
        public var partNumber: Int
        /// Its size in bytes.
        public var size: Int64
        /// Its entity tag, quoted.
        public var etag: String
        /// Its CRC-32C as S3 writes it (base64).
        public var checksum: String

        /// Creates a record of a filled part.
        public init(partNumber: Int, size: Int64, etag: String, checksum: String) {
            self.partNumber = partNumber
            self.size = size
            self.etag = etag
            self.checksum = checksum
        }
    }

    /// A new tus upload with nothing received.
    public init(sessionId: String, metadata: String?, lengthDeferred: Bool, concat: String?) {
        self.sessionId = sessionId
        self.metadata = metadata
        self.lengthDeferred = lengthDeferred
        self.concat = concat
        partialPart = 0
        partialBytes = 0
        partialCRC32C = 0
        filledParts = []
    }

    /// Whether this is a partial upload of a concatenation.
    public var isPartial: Bool { concat == "partial" }

    /// Whether this is the final upload of a concatenation (it takes no PATCH).
    public var isFinal: Bool { concat?.hasPrefix("final;") == true }

    /// The durable offset: the UPLOADED parts from part 1 on without a gap (or, while the length is
    /// deferred, the ``filledParts``), plus ``partialBytes`` when they belong to the part after
    /// them. A part an operator's retry reopened shortens the offset to where it begins.
    public func offset(parts: [FilePart]) -> Int64 {
        var end: Int64 = 0
        var next = 1
        if lengthDeferred {
            for part in filledParts.sorted(by: { $0.partNumber < $1.partNumber }) where part.partNumber == next {
                end += part.size
                next += 1
            }
        } else {
            for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
                guard part.partNumber == next, part.status == .uploaded else { break }
                end += part.size
                next += 1
            }
        }
        return partialPart == next ? end + partialBytes : end
    }
}
