import UploadModel

/// The bodies of `POST /api/v1/controller`, one type per action.
public enum ControllerRequest {
    /// Every body names its action.
    public struct Envelope: Codable, Sendable {
        /// createGroup, initiate, signParts, partUploaded, complete, abort, retry, cancel, delete or status.
        public var action: String
    }

    /// `createGroup`.
    public struct CreateGroup: Codable, Sendable {
        /// The group's name.
        public var name: String
        /// Optional text.
        public var description: String?
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
    }

    /// `signParts`.
    public struct SignParts: Codable, Sendable {
        /// The session.
        public var sessionId: String
        /// The parts to sign (1-based).
        public var partNumbers: [Int]
        /// Requested lifetime of the URLs in seconds (capped at 7 days).
        public var expiresIn: Int?
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
    }

    /// `complete` and `abort`.
    public struct SessionRef: Codable, Sendable {
        /// The session.
        public var sessionId: String
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
    }
}
