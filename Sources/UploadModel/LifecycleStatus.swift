/// A status that belongs to the upload lifecycle: it knows which statuses may follow it.
public protocol LifecycleStatus: RawRepresentable, CaseIterable, Hashable, Sendable
where RawValue == String {
    /// The entity kind this status belongs to (for error messages).
    static var entityKind: EntityKind { get }
    /// The statuses this one may move to. A status never moves to itself.
    var allowedNext: Set<Self> { get }
}

extension LifecycleStatus {
    /// Whether nothing can follow this status.
    public var isTerminal: Bool { allowedNext.isEmpty }
}

extension GroupStatus: LifecycleStatus {
    /// Groups.
    public static var entityKind: EntityKind { .group }

    /// Legal next statuses of a group.
    public var allowedNext: Set<GroupStatus> {
        switch self {
        case .pending: [.inProgress, .completed, .failed, .cancelled]
        case .inProgress: [.completed, .failed, .cancelled]
        case .completed: [.inProgress, .failed]
        case .failed: [.inProgress, .completed, .cancelled]
        case .cancelled: []
        }
    }
}

extension FileStatus: LifecycleStatus {
    /// Sessions.
    public static var entityKind: EntityKind { .session }

    /// Legal next statuses of a session.
    public var allowedNext: Set<FileStatus> {
        switch self {
        case .pending: [.uploading, .uploaded, .failed, .cancelled, .expired]
        case .uploading: [.uploaded, .failed, .cancelled, .expired]
        case .uploaded: [.processing, .completed, .failed, .cancelled]
        case .processing: [.completed, .failed, .cancelled]
        case .failed: [.pending, .uploading, .uploaded, .processing, .cancelled, .expired]
        case .completed, .cancelled, .expired: []
        }
    }
}

extension PartStatus: LifecycleStatus {
    /// Parts.
    public static var entityKind: EntityKind { .part }

    /// Legal next statuses of a part.
    public var allowedNext: Set<PartStatus> {
        switch self {
        case .pending: [.uploading, .uploaded, .failed]
        case .uploading: [.pending, .uploaded, .failed]
        case .uploaded: [.pending, .uploading]
        case .failed: [.pending, .uploading, .uploaded]
        }
    }
}

extension JobStatus: LifecycleStatus {
    /// Jobs.
    public static var entityKind: EntityKind { .job }

    /// Legal next statuses of a job.
    public var allowedNext: Set<JobStatus> {
        switch self {
        case .queued: [.running, .cancelled]
        case .running: [.succeeded, .failed, .queued, .cancelled]
        case .failed: [.queued, .cancelled]
        case .succeeded, .cancelled: []
        }
    }
}
