import Foundation
import UploadModel

/// One row of the problems view: a session in trouble (FAILED, EXPIRED, or STALLED: moving but
/// quiet) or a FAILED job, with the names an operator knows it by.
public struct ProblemRow: Sendable, Hashable {
    /// What is in trouble.
    public enum Subject: Sendable, Hashable {
        /// A file's upload.
        case session(UploadSession)
        /// A processing job (of `fileName`).
        case job(ProcessingJob)
    }

    /// What is in trouble.
    public var subject: Subject
    /// The group's name.
    public var groupName: String
    /// The file's name.
    public var fileName: String

    /// Creates a row.
    public init(subject: Subject, groupName: String, fileName: String) {
        self.subject = subject
        self.groupName = groupName
        self.fileName = fileName
    }

    /// The session or the job.
    public var entity: any GroupScoped {
        switch subject {
        case .session(let session): session
        case .job(let job): job
        }
    }

    /// The session's or job's id.
    public var id: String { entity.id }

    /// The group's id.
    public var groupId: String { entity.groupId }

    /// When it last changed (newest first in the view).
    public var time: Date {
        switch subject {
        case .session(let session): session.lastActivityAt
        case .job(let job): job.updatedAt
        }
    }

    /// Its error, if any.
    public var error: ErrorDetail? {
        switch subject {
        case .session(let session): session.error
        case .job(let job): job.error
        }
    }

    /// Whether this is still a problem at `now` (a stalled session counts after `stallAfter` quiet seconds).
    public static func isProblem(_ session: UploadSession, now: Date, stallAfter: TimeInterval) -> Bool {
        switch session.status {
        case .failed, .expired: true
        case .pending, .uploading: now.timeIntervalSince(session.lastActivityAt) > stallAfter
        default: false
        }
    }
}
