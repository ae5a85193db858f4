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
/// Marks are taken before the database is consulted and the sweeper reads them inside its write
/// transaction, so whichever of the two commits first wins cleanly: a session expired first is
/// refused by the transfer's or completion's own transaction; one marked first is left alone.
public final class TransferTracker: Sendable {
    private struct Marks {
        var transfers = 0
        var completions = 0
    }

    private let marks = Mutex<[String: Marks]>([:])

    /// Creates an empty tracker.
    public init() {}

    /// Marks one more part transfer of `sessionId` in flight; pair it with ``endTransfer(_:)``.
    ///
    /// - Throws: ``UploadError/Code/conflict`` (409) while the session is completing.
    public func beginTransfer(_ sessionId: String) throws(UploadError) {
        let completing = marks.withLock { marks -> Bool in
            if let mark = marks[sessionId], mark.completions > 0 { return true }
            marks[sessionId, default: Marks()].transfers += 1
            return false
        }
        if completing {
            throw UploadError(.conflict, "session \(sessionId) is completing; it takes no more bytes")
        }
    }

    /// Ends a transfer begun with ``beginTransfer(_:)``.
    public func endTransfer(_ sessionId: String) {
        marks.withLock { marks in
            marks[sessionId]?.transfers -= 1
            if marks[sessionId].map({ $0.transfers <= 0 && $0.completions <= 0 }) == true { marks[sessionId] = nil }
        }
    }

    /// Marks `sessionId` as completing; pair it with ``endCompleting(_:)``. Several completions of
    /// one session may overlap (a client repeating `complete`): they finish the same object.
    ///
    /// - Throws: ``UploadError/Code/conflict`` (409) while a part of the session is arriving.
    public func beginCompleting(_ sessionId: String) throws(UploadError) {
        let arriving = marks.withLock { marks -> Int in
            let transfers = marks[sessionId]?.transfers ?? 0
            if transfers == 0 { marks[sessionId, default: Marks()].completions += 1 }
            return transfers
        }
        if arriving > 0 {
            throw UploadError(.conflict, "session \(sessionId) still has \(arriving) part(s) arriving; complete it once they are in")
        }
    }

    /// Ends a completion begun with ``beginCompleting(_:)``.
    public func endCompleting(_ sessionId: String) {
        marks.withLock { marks in
            marks[sessionId]?.completions -= 1
            if marks[sessionId].map({ $0.transfers <= 0 && $0.completions <= 0 }) == true { marks[sessionId] = nil }
        }
    }

    /// Whether `sessionId` has a transfer in flight or a completion under way.
    public func isBusy(_ sessionId: String) -> Bool {
        marks.withLock { $0[sessionId] != nil }
    }
}
