import UploadModel

/// A change an operator asked for, to be sent to the session controller.
public struct OperatorAction: Sendable, Hashable {
    /// What to do.
    public enum Verb: String, Sendable, Hashable {
        /// Retry what failed.
        case retry
        /// Cancel a file or a group.
        case cancel
        /// Delete a file or a group.
        case delete

        /// The verb of a key's command (nil for commands that are not operator actions).
        init?(_ command: KeyAction.Command) {
            switch command {
            case .retry: self = .retry
            case .cancel: self = .cancel
            case .delete: self = .delete
            default: return nil
            }
        }
    }

    /// What to do.
    public var verb: Verb
    /// The controller's target (group, session + part numbers, or job).
    public var groupId: String?
    /// The session, for file, part and job actions.
    public var sessionId: String?
    /// The job, for a job retry.
    public var jobId: String?
    /// Parts to retry (nil: every failed part).
    public var partNumbers: [Int]?
    /// What the action touches, in words ("group 'photos' (12 files)").
    public var subject: String

    /// The question asked before a dangerous action, naming what will happen.
    public var confirmation: String {
        switch verb {
        case .retry: "Retry \(subject)?"
        case .cancel: "Cancel \(subject)? Uploads in progress stop and cannot resume."
        case .delete: "Delete \(subject)? Its records and stored bytes are removed for good."
        }
    }
}
