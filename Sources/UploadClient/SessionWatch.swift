import UploadModel

/// What the live feed says of the sessions being uploaded: their latest state, and parts an
/// operator put back to PENDING that must be sent again.
actor SessionWatch {
    private var sessions: [String: UploadSession] = [:]
    private var reopened: [String: Set<Int>] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var closed = false

    /// Records a change from the feed.
    /// Whether ``apply(_:)`` can act on `event`, judged without decoding its entity: session
    /// events, and part events that may be a part sent back to PENDING.
    static func wants(_ event: UploadEvent) -> Bool {
        switch event.kind {
        case .session: true
        case .part: event.deleted || event.data.contains("\"PENDING\"")
        case .group, .job, .reset: false
        }
    }

    func apply(_ change: EntityChange) {
        switch change {
        case .session(let session):
            // A change older than what an answer already told (a self-completing PUT answers
            // before the feed delivers the steps of its transaction) is not taken back.
            if let known = sessions[session.id], Self.isNewer(known, than: session) { return }
            sessions[session.id] = session
            wake(session.id)
        case .part(let part) where part.status == .pending && part.attempts > 0:
            reopened[part.sessionId, default: []].insert(part.partNumber)
            wake(part.sessionId)
        case .deleted(let gone) where gone.kind == .session:
            wake(gone.id)
        default:
            break
        }
    }

    /// The latest state the feed reported, if any.
    func session(_ id: String) -> UploadSession? { sessions[id] }

    /// Whether `known` is a later state of the session than `other`: changed later, or in the same
    /// transaction (the same time) but further along the way to COMPLETED.
    static func isNewer(_ known: UploadSession, than other: UploadSession) -> Bool {
        if known.updatedAt != other.updatedAt { return known.updatedAt > other.updatedAt }
        return rank(known.status) > rank(other.status)
    }

    private static func rank(_ status: FileStatus) -> Int {
        switch status {
        case .pending: 0
        case .uploading: 1
        case .uploaded: 2
        case .processing: 3
        case .completed, .failed, .cancelled, .expired: 4
        }
    }

    /// Records a state learnt another way (a poll or an answer).
    func record(_ session: UploadSession) {
        if let known = sessions[session.id], known.updatedAt > session.updatedAt { return }
        sessions[session.id] = session
        wake(session.id)
    }

    /// Takes the parts reopened for `sessionId` since the last call.
    func takeReopened(_ sessionId: String) -> Set<Int> {
        reopened.removeValue(forKey: sessionId) ?? []
    }

    /// Waits until something happens to `sessionId`, `seconds` pass, or the task is cancelled.
    func waitForChange(_ sessionId: String, seconds: Double) async {
        guard !closed, !Task.isCancelled else { return }
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            self.wake(sessionId)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[sessionId, default: []].append(continuation)
            }
        } onCancel: {
            Task { await self.wake(sessionId) }
        }
        timer.cancel()
    }

    /// Wakes everyone (the run is ending).
    func close() {
        closed = true
        for id in Array(waiters.keys) { wake(id) }
    }

    private func wake(_ id: String) {
        for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }
}
