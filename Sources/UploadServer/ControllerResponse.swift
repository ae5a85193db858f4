import Foundation
import UploadModel

/// The response bodies of `POST /api/v1/controller`.
public enum ControllerResponse {
    /// `initiate`: the new session and how to send its bytes.
    public struct Initiated: Codable, Sendable {
        /// The session.
        public var session: UploadSession
        /// "single" or "multipart".
        public var method: UploadMethod
        /// The part size.
        public var partSize: Int64
        /// The number of parts.
        public var totalParts: Int
        /// For a single upload: the signed URL to PUT the whole file to.
        public var url: String?
        /// When `url` expires.
        public var expiresAt: Date?
    }

    /// One signed part URL.
    public struct SignedPart: Codable, Sendable {
        /// The part.
        public var partNumber: Int
        /// Where to PUT it.
        public var url: String
        /// When the URL expires.
        public var expiresAt: Date
        /// The part's offset in the file.
        public var offset: Int64
        /// The part's size.
        public var size: Int64
    }

    /// `signParts`.
    public struct Signed: Codable, Sendable {
        /// The signed URLs, in the order asked.
        public var parts: [SignedPart]
    }

    /// `partUploaded`.
    public struct PartRecorded: Codable, Sendable {
        /// The part as recorded.
        public var part: FilePart
    }

    /// `complete`, `abort`, and `cancel` of a session.
    public struct SessionResult: Codable, Sendable {
        /// The session after the action.
        public var session: UploadSession
    }

    /// `createGroup` and `cancel` of a group.
    public struct GroupResult: Codable, Sendable {
        /// The group after the action.
        public var group: UploadGroup
    }

    /// One session with its parts and jobs.
    public struct SessionDetail: Codable, Sendable {
        /// The session.
        public var session: UploadSession
        /// Its parts by number.
        public var parts: [FilePart]
        /// Its jobs in run order.
        public var jobs: [ProcessingJob]
    }

    /// `status`.
    public struct Status: Codable, Sendable {
        /// The group.
        public var group: UploadGroup?
        /// Its sessions (or the one asked for).
        public var sessions: [SessionDetail]
    }

    /// `retry`: what was sent back to work.
    public struct Retried: Codable, Sendable {
        /// Sessions whose status moved.
        public var sessions: [UploadSession]
        /// Parts put back to PENDING.
        public var parts: [FilePart]
        /// Jobs queued again.
        public var jobs: [ProcessingJob]
    }

    /// `delete`.
    public struct Deleted: Codable, Sendable {
        /// Always true.
        public var deleted: Bool
    }
}
