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

        /// Creates the request.
        public init(name: String, description: String? = nil) {
            self.name = name
            self.description = description
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
        /// Preferred part size for multipart uploads.
        public var partSize: Int64?
        /// What the uploader records of its local file, returned on the session.
        public var fingerprint: String?

        /// Creates an initiate request.
        public init(
            groupId: String? = nil, fileName: String, size: Int64, contentType: String? = nil,
            sha256: String? = nil, partSize: Int64? = nil, fingerprint: String? = nil
        ) {
            self.groupId = groupId
            self.fileName = fileName
            self.size = size
            self.contentType = contentType
            self.sha256 = sha256
            self.partSize = partSize
            self.fingerprint = fingerprint
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
