import Foundation

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

        /// Creates the value.
        public init(session: UploadSession, method: UploadMethod, partSize: Int64, totalParts: Int, url: String? = nil, expiresAt: Date? = nil) {
            self.session = session
            self.method = method
            self.partSize = partSize
            self.totalParts = totalParts
            self.url = url
            self.expiresAt = expiresAt
        }
    }

    /// `initiate` of many files: one answer per file, in the order of the request's `files`.
    public struct InitiatedBatch: Codable, Sendable {
        /// The sessions and how to send their bytes.
        public var sessions: [Initiated]

        /// Creates the value.
        public init(sessions: [Initiated]) {
            self.sessions = sessions
        }
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

        /// Creates the value.
        public init(partNumber: Int, url: String, expiresAt: Date, offset: Int64, size: Int64) {
            self.partNumber = partNumber
            self.url = url
            self.expiresAt = expiresAt
            self.offset = offset
            self.size = size
        }
    }

    /// `signParts`.
    public struct Signed: Codable, Sendable {
        /// The signed URLs, in the order asked.
        public var parts: [SignedPart]

        /// Creates the value.
        public init(parts: [SignedPart]) {
            self.parts = parts
        }
    }

    /// `partUploaded`, and the answer of a part PUT to the embedded disk store.
    public struct PartRecorded: Codable, Sendable {
        /// The part as recorded.
        public var part: FilePart
        /// The session, when the PUT completed it by itself (a single PUT to the disk store whose
        /// bytes all arrived with matching checksums): UPLOADED, PROCESSING or COMPLETED, so the
        /// uploader need not call `complete`. Absent otherwise.
        public var session: UploadSession?

        /// Creates the value.
        public init(part: FilePart, session: UploadSession? = nil) {
            self.part = part
            self.session = session
        }
    }

    /// `partsUploaded`.
    public struct PartsRecorded: Codable, Sendable {
        /// The parts as recorded, in the order they were reported.
        public var parts: [FilePart]

        /// Creates the value.
        public init(parts: [FilePart]) {
            self.parts = parts
        }
    }

    /// `complete`, `abort`, and `cancel` of a session.
    public struct SessionResult: Codable, Sendable {
        /// The session after the action.
        public var session: UploadSession

        /// Creates the value.
        public init(session: UploadSession) {
            self.session = session
        }
    }

    /// `createGroup` and `cancel` of a group.
    public struct GroupResult: Codable, Sendable {
        /// The group after the action.
        public var group: UploadGroup

        /// Creates the value.
        public init(group: UploadGroup) {
            self.group = group
        }
    }

    /// One session with its parts and jobs.
    public struct SessionDetail: Codable, Sendable {
        /// The session.
        public var session: UploadSession
        /// Its parts by number.
        public var parts: [FilePart]
        /// Its jobs in run order.
        public var jobs: [ProcessingJob]

        /// Creates the value.
        public init(session: UploadSession, parts: [FilePart], jobs: [ProcessingJob]) {
            self.session = session
            self.parts = parts
            self.jobs = jobs
        }
    }

    /// `status`.
    public struct Status: Codable, Sendable {
        /// The group.
        public var group: UploadGroup?
        /// Its sessions (or the one asked for).
        public var sessions: [SessionDetail]

        /// Creates the value.
        public init(group: UploadGroup? = nil, sessions: [SessionDetail]) {
            self.group = group
            self.sessions = sessions
        }
    }

    /// `retry`: what was sent back to work.
    public struct Retried: Codable, Sendable {
        /// Sessions whose status moved.
        public var sessions: [UploadSession]
        /// Parts put back to PENDING.
        public var parts: [FilePart]
        /// Jobs queued again.
        public var jobs: [ProcessingJob]

        /// Creates the value.
        public init(sessions: [UploadSession], parts: [FilePart], jobs: [ProcessingJob]) {
            self.sessions = sessions
            self.parts = parts
            self.jobs = jobs
        }
    }

    /// `delete`.
    public struct Deleted: Codable, Sendable {
        /// Always true.
        public var deleted: Bool

        /// Creates the value.
        public init(deleted: Bool) {
            self.deleted = deleted
        }
    }
}
