import Synchronization
import UploadModel

/// The sessions of this process whose bytes are arriving (part PUTs of the disk store under way)
/// or whose completion is under way, so that neither is cut short:
///
/// - the sweeper never expires a session that is busy (a transfer in flight or a completion);
/// - `complete` refuses (409 `conflict`) while a part of the session is still arriving, since
///   the object would be finished with bytes that are not all there;
/// - a part PUT refuses (409 `conflict`) while the session is completing, since its bytes would
///   land in a finished object.
///
/// The sweeper claims the idle sessions it is about to expire inside its write transaction and
/// releases them once it committed; a claimed session refuses transfers and completions (409). So
/// whichever comes first wins cleanly: a session marked busy first is not claimed; one claimed
/// first refuses; and one expired before a mark was taken reads as EXPIRED to whoever took it.
public final class TransferTracker: Sendable {
    private struct Marks {
        var transfers = 0
        var completions = 0
        var expiring = false

        var isEmpty: Bool { transfers <= 0 && completions <= 0 && !expiring }
    }

    private let marks = Mutex<[String: Marks]>([:])

    /// Creates an empty tracker.
    public init() {}

    /// Marks one more part transfer of `sessionId` in flight; pair it with ``endTransfer(_:)``.
    ///
    /// - Throws: ``UploadError/Code/conflict`` (409) while the session is completing or the sweeper
    ///   is expiring it.
    public func beginTransfer(_ sessionId: String) throws(UploadError) {
        try begin(sessionId, counting: \.transfers, refusedAs: "; it takes no more bytes") { mark in
            mark.completions > 0 ? "is completing" : nil
        }
    }

    /// Ends a transfer begun with ``beginTransfer(_:)``.
    public func endTransfer(_ sessionId: String) {
        change(sessionId) { $0.transfers -= 1 }
    }

    /// Marks `sessionId` as completing; pair it with ``endCompleting(_:)``. Several completions of
    /// one session may overlap (a client repeating `complete`): they finish the same object.
    ///
    /// - Throws: ``UploadError/Code/conflict`` (409) while a part of the session is arriving or the
    ///   sweeper is expiring it.
    public func beginCompleting(_ sessionId: String) throws(UploadError) {
        try begin(sessionId, counting: \.completions, refusedAs: "") { mark in
            mark.transfers > 0 ? "still has \(mark.transfers) part(s) arriving; complete it once they are in" : nil
        }
    }

    /// Turns the caller's own transfer of `sessionId` into a completion when it is the only one in
    /// flight, no completion is under way and the sweeper is not expiring the session: a single PUT
    /// that received every byte finishes its session itself (pair a true answer with
    /// ``endCompleting(_:)`` instead of ``endTransfer(_:)``). False leaves the transfer as it was.
    public func handOverToCompletion(_ sessionId: String) -> Bool {
        marks.withLock { marks in
            guard var mark = marks[sessionId], mark.transfers == 1, mark.completions == 0, !mark.expiring else { return false }
            mark.transfers = 0
            mark.completions = 1
            marks[sessionId] = mark
            return true
        }
    }

    /// Ends a completion begun with ``beginCompleting(_:)``.
    public func endCompleting(_ sessionId: String) {
        change(sessionId) { $0.completions -= 1 }
    }

    /// Whether `sessionId` has a transfer in flight or a completion under way.
    public func isBusy(_ sessionId: String) -> Bool {
        marks.withLock { ($0[sessionId]?.transfers ?? 0) > 0 || ($0[sessionId]?.completions ?? 0) > 0 }
    }

    /// For the sweeper, inside its write transaction: claims those of `sessionIds` that are not busy,
    /// which then refuse transfers and completions until ``releaseExpiry(_:)``; returns them.
    public func claimForExpiry(_ sessionIds: [String]) -> Set<String> {
        marks.withLock { marks in
            var claimed: Set<String> = []
            for id in sessionIds where (marks[id]?.transfers ?? 0) <= 0 && (marks[id]?.completions ?? 0) <= 0 {
                marks[id, default: Marks()].expiring = true
                claimed.insert(id)
            }
            return claimed
        }
    }

    /// Releases the sweeper's claims once its transaction ended (committed or rolled back).
    public func releaseExpiry(_ sessionIds: Set<String>) {
        for id in sessionIds { change(id) { $0.expiring = false } }
    }

    /// Counts one more mark of `counter` on `sessionId`, unless the sweeper is expiring the session
    /// or `conflict` names a mark that refuses this one: then 409 `conflict` (its message ending
    /// with `consequence`), and nothing is marked.
    private func begin(
        _ sessionId: String, counting counter: WritableKeyPath<Marks, Int>, refusedAs consequence: String,
        unless conflict: (Marks) -> String?
    ) throws(UploadError) {
        let refusal = marks.withLock { marks -> String? in
            if let mark = marks[sessionId] {
                if mark.expiring { return "is being expired (idle longer than its TTL)" }
                if let refusal = conflict(mark) { return refusal }
            }
            marks[sessionId, default: Marks()][keyPath: counter] += 1
            return nil
        }
        if let refusal {
            throw UploadError(.conflict, "session \(sessionId) \(refusal)\(consequence)")
        }
    }

    private func change(_ sessionId: String, _ body: (inout Marks) -> Void) {
        marks.withLock { marks in
            guard var mark = marks[sessionId] else { return }
            body(&mark)
            marks[sessionId] = mark.isEmpty ? nil : mark
        }
    }
}
