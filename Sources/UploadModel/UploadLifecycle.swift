/// The one state machine of upman: every legal transition, and how a group follows its sessions.
public enum UploadLifecycle {
    /// Whether `from` may move to `to`.
    public static func canMove<S: LifecycleStatus>(from: S, to: S) -> Bool {
        from.allowedNext.contains(to)
    }

    /// Throws ``UploadError/Code/invalidTransition`` unless `from` may move to `to`.
    public static func checkMove<S: LifecycleStatus>(from: S, to: S, id: String) throws(UploadError) {
        guard canMove(from: from, to: to) else {
            throw UploadError(
                .invalidTransition,
                "\(S.entityKind.rawValue) \(id) cannot go from \(from.rawValue) to \(to.rawValue)")
        }
    }

    /// Derives a group's status and counters from its sessions.
    ///
    /// - A CANCELLED group stays CANCELLED.
    /// - Cancelled sessions are set aside: a group whose other sessions all completed is COMPLETED,
    ///   and a group whose sessions were all cancelled is CANCELLED.
    /// - COMPLETED only when every remaining session is; FAILED when one failed (or expired) and none
    ///   is still moving; IN_PROGRESS while any moves; PENDING until the first session leaves PENDING.
    /// - The result is always the current status or a legal move from it.
    public static func deriveGroup(current: GroupStatus, sessions tally: SessionTally) -> GroupDerivation {
        let counters = GroupCounters(tally)
        let failed = counters.failedFiles
        let completed = counters.completedFiles
        let cancelled = tally[.cancelled]
        let moving = FileStatus.allCases.filter(\.isMoving).reduce(0) { $0 + tally[$1] }
        let total = counters.totalFiles

        var status: GroupStatus
        if current == .cancelled {
            status = .cancelled
        } else if total == 0 {
            status = current == .pending ? .pending : current
        } else if moving > 0 {
            let allPending = tally[.pending] == total
            status = allPending && current == .pending ? .pending : .inProgress
        } else if failed > 0 {
            status = .failed
        } else if completed > 0 {
            status = .completed
        } else {
            status = cancelled == total ? .cancelled : current
        }
        if status != current && !canMove(from: current, to: status) { status = current }
        return GroupDerivation(status: status, counters: counters)
    }
}
