import Foundation

/// The bodies of `POST /api/v1/controller`, one type per action.
public enum ControllerRequest {
    /// Every body names its action.
    public struct Envelope: Codable, Sendable {
        /// The action's name (the server's table of actions lists them).
        public var action: String
    }

    /// `createGroup`.
    public struct CreateGroup: Codable, Sendable {
        /// The group's name.
        public var name: String
        /// Optional text.
        public var description: String?
        /// How many files the group will hold, when the uploader knows (0…100,000,000).
        public var expectedFiles: Int?
        /// How many bytes the group will hold, when the uploader knows (≥ 0).
        public var expectedBytes: Int64?

        /// Creates the request.
        public init(name: String, description: String? = nil, expectedFiles: Int? = nil, expectedBytes: Int64? = nil) {
            self.name = name
            self.description = description
            self.expectedFiles = expectedFiles
            self.expectedBytes = expectedBytes
        }
    }

    /// `initiate`.
    public struct Initiate: Codable, Sendable {
        /// The group to add the file to; a group of its own when absent.
        public var groupId: String?
        /// The file's name (a relative path for directories).
        public var fileName: String
        /// The file's size in bytes.
        public var size: Int64
        /// The file's media type.
        public var contentType: String?
        /// The file's SHA-256 (hex), checked after upload.
        public var sha256: String?
        /// The whole file's checksum as the client computed it, if it did before sending (S3's
        /// full-object CRC-32C): the session completes only if the bytes received match it.
        public var checksum: ObjectChecksum?
        /// Preferred part size for multipart uploads.
        public var partSize: Int64?
        /// What the uploader records of its local file, returned on the session.
        public var fingerprint: String?

        /// Creates an initiate request.
        public init(
            groupId: String? = nil, fileName: String, size: Int64, contentType: String? = nil,
            sha256: String? = nil, partSize: Int64? = nil, fingerprint: String? = nil, checksum: ObjectChecksum? = nil
        ) {
            self.checksum = checksum
            self.groupId = groupId
            self.fileName = fileName
            self.size = size
            self.contentType = contentType
            self.sha256 = sha256
            self.partSize = partSize
            self.fingerprint = fingerprint
        }
    }

    /// One file of a batch `initiate` (``InitiateBatch``): the single-file fields without the group.
    public struct InitiateFile: Codable, Sendable {
        /// The file's name (a relative path for directories).
        public var fileName: String
        /// The file's size in bytes.
        public var size: Int64
        /// The file's media type.
        public var contentType: String?
        /// The whole file's checksum as the client computed it, if it did before sending (S3's
        /// full-object CRC-32C): the session completes only if the bytes received match it.
        public var checksum: ObjectChecksum?
        /// What the uploader records of its local file, returned on the session.
        public var fingerprint: String?
        /// Preferred part size for multipart uploads.
        public var partSize: Int64?

        /// Creates one entry.
        public init(
            fileName: String, size: Int64, contentType: String? = nil, checksum: ObjectChecksum? = nil,
            fingerprint: String? = nil, partSize: Int64? = nil
        ) {
            self.fileName = fileName
            self.size = size
            self.contentType = contentType
            self.checksum = checksum
            self.fingerprint = fingerprint
            self.partSize = partSize
        }

        private enum CodingKeys: String, CodingKey { case fileName, size, contentType, checksum, fingerprint, partSize }

        /// Decodes one entry; an optional field is left out, never `null` (a decoding error, 400).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for key in [CodingKeys.contentType, .checksum, .fingerprint, .partSize] where container.contains(key) {
                if try container.decodeNil(forKey: key) {
                    throw DecodingError.valueNotFound(
                        String.self, .init(codingPath: container.codingPath + [key], debugDescription: "must not be null; leave it out instead"))
                }
            }
            fileName = try container.decode(String.self, forKey: .fileName)
            size = try container.decode(Int64.self, forKey: .size)
            contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
            checksum = try container.decodeIfPresent(ObjectChecksum.self, forKey: .checksum)
            fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
            partSize = try container.decodeIfPresent(Int64.self, forKey: .partSize)
        }
    }

    /// `initiate` of many files at once: `{groupId?, files: [...]}`, answered by
    /// ``ControllerResponse/InitiatedBatch`` in the same order. The server takes 1 to
    /// ``maximumFiles`` entries and records all of them or none.
    public struct InitiateBatch: Codable, Sendable {
        /// The most files one call takes.
        public static let maximumFiles = 1_000

        /// The group to add the files to; a group of their own when absent.
        public var groupId: String?
        /// The files, in the order the answer keeps.
        public var files: [InitiateFile]

        /// Creates a batch.
        public init(groupId: String? = nil, files: [InitiateFile]) {
            self.groupId = groupId
            self.files = files
        }
    }

    /// The body of `initiate` in either of its forms: one file (``Initiate``) or many (``InitiateBatch``).
    ///
    /// A body with `files` is a batch; then none of the single-file fields (`fileName`, `size`,
    /// `contentType`, `sha256`, `partSize`, `fingerprint`) may be present, and a `null` `groupId` or
    /// `files` is refused: these are decoding errors, answered 400.
    public enum InitiateBody: Decodable, Sendable {
        /// The single-file form.
        case one(Initiate)
        /// The batch form.
        case many(InitiateBatch)

        private enum Keys: String, CodingKey, CaseIterable {
            case groupId, files, fileName, size, contentType, sha256, partSize, fingerprint, checksum
        }

        /// Decodes either form (see the type's documentation).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            guard container.contains(.files) else {
                self = .one(try Initiate(from: decoder))
                return
            }
            for key in Keys.allCases where key != .files && key != .groupId && container.contains(key) {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "must be absent when 'files' is given (put it in each file)")
            }
            for key in [Keys.groupId, .files] where try container.contains(key) && container.decodeNil(forKey: key) {
                throw DecodingError.valueNotFound(
                    key == .files ? [InitiateFile].self : String.self,
                    DecodingError.Context(codingPath: [key], debugDescription: "null"))
            }
            self = .many(try InitiateBatch(from: decoder))
        }
    }

    /// `signParts`.
    public struct SignParts: Codable, Sendable {
        /// The session.
        public var sessionId: String
        /// The parts to sign (1-based).
        public var partNumbers: [Int]
        /// Requested lifetime of the URLs in seconds (capped at 7 days).
        public var expiresIn: Int?

        /// Creates the request.
        public init(sessionId: String, partNumbers: [Int], expiresIn: Int? = nil) {
            self.sessionId = sessionId
            self.partNumbers = partNumbers
            self.expiresIn = expiresIn
        }
    }

    /// `partUploaded`.
    public struct PartUploaded: Codable, Sendable {
        /// The session.
        public var sessionId: String
        /// The part.
        public var partNumber: Int
        /// The ETag storage answered with.
        public var etag: String
        /// The part's size in bytes.
        public var size: Int64

        /// Creates the request.
        public init(sessionId: String, partNumber: Int, etag: String, size: Int64) {
            self.sessionId = sessionId
            self.partNumber = partNumber
            self.etag = etag
            self.size = size
        }
    }

    /// `partsUploaded`: many parts of one session reported in one call (DESIGN v1.1, "Integrity and
    /// the data plane"), for uploaders that PUT straight to S3. At most 10,000 entries (S3's limit
    /// of parts per upload); each part number at most once.
    public struct PartsUploaded: Codable, Sendable {
        /// The session.
        public var sessionId: String
        /// The parts, in any order.
        public var parts: [ReportedPart]

        /// Creates the request.
        public init(sessionId: String, parts: [ReportedPart]) {
            self.sessionId = sessionId
            self.parts = parts
        }
    }

    /// One part of a ``PartsUploaded`` report.
    public struct ReportedPart: Codable, Sendable, Hashable {
        /// The part (1-based).
        public var partNumber: Int
        /// The ETag storage answered the part's PUT with (quoted or not).
        public var etag: String
        /// The part's size in bytes.
        public var size: Int64
        /// The part's CRC32C as S3's `x-amz-checksum-crc32c` header carries it: the base64 of the
        /// checksum's 4 big-endian bytes (8 characters, e.g. `yZRlqg==`). Optional; decoding
        /// refuses any other shape (a 400 naming the field). The server checks its shape only: it
        /// does not record it yet.
        public var checksum: String?

        /// Creates an entry.
        public init(partNumber: Int, etag: String, size: Int64, checksum: String? = nil) {
            self.partNumber = partNumber
            self.etag = etag
            self.size = size
            self.checksum = checksum
        }

        /// Decodes an entry; a `checksum` that is not the base64 of 4 bytes is a `dataCorrupted` error
        /// at that field.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            partNumber = try container.decode(Int.self, forKey: .partNumber)
            etag = try container.decode(String.self, forKey: .etag)
            size = try container.decode(Int64.self, forKey: .size)
            checksum = try container.decodeIfPresent(String.self, forKey: .checksum)
            if let checksum, !Self.isCRC32C(checksum) {
                throw DecodingError.dataCorruptedError(
                    forKey: .checksum, in: container,
                    debugDescription: "must be a CRC32C as base64 of its 4 bytes (S3's x-amz-checksum-crc32c form, 8 characters such as \"yZRlqg==\")")
            }
        }

        /// Whether `text` has the shape of S3's `x-amz-checksum-crc32c` value: standard base64
        /// (RFC 4648 §4, with padding) of exactly 4 bytes.
        public static func isCRC32C(_ text: String) -> Bool {
            CRC32C.value(base64: text) != nil
        }
    }

    /// `eventsToken`: no fields.
    public struct EventsToken: Codable, Sendable {
        /// Creates the request.
        public init() {}
    }

    /// `complete` and `abort`.
    public struct SessionRef: Codable, Sendable {
        /// The session.
        public var sessionId: String
        /// `complete` only: the whole object's checksum as the uploader computed it (S3's "full
        /// object" CRC-32C); the session completes only if the parts' combined checksum equals it.
        public var checksum: ObjectChecksum?

        /// Creates the request.
        public init(sessionId: String, checksum: ObjectChecksum? = nil) {
            self.sessionId = sessionId
            self.checksum = checksum
        }
    }

    /// `retry`, `cancel`, `delete` and `status`: exactly one target.
    public struct Target: Codable, Sendable {
        /// A group.
        public var groupId: String?
        /// A session.
        public var sessionId: String?
        /// A job (retry only).
        public var jobId: String?
        /// Parts of the session to send again (retry only).
        public var partNumbers: [Int]?
        /// Why (cancel only): recorded as the error message.
        public var reason: String?

        /// Creates the request; give exactly one of the ids.
        public init(
            groupId: String? = nil, sessionId: String? = nil, jobId: String? = nil, partNumbers: [Int]? = nil,
            reason: String? = nil
        ) {
            self.groupId = groupId
            self.sessionId = sessionId
            self.jobId = jobId
            self.partNumbers = partNumbers
            self.reason = reason
        }
    }
}
