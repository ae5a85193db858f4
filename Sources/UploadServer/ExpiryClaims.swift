import Synchronization

/// The sessions one sweep claimed for expiry (see ``TransferTracker/claimForExpiry(_:)``), kept
/// where the sweep can release them whether its transaction committed or not.
final class ExpiryClaims: Sendable {
    private let claimed = Mutex<Set<String>>([])

    /// The claimed sessions.
    var ids: Set<String> { claimed.withLock { $0 } }

    /// Adds claims; returns them.
    func add(_ ids: Set<String>) -> Set<String> {
        claimed.withLock { $0.formUnion(ids) }
        return ids
    }
}
