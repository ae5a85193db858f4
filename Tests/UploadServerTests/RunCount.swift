import Synchronization

/// How often a test's handler ran.
final class RunCount: Sendable {
    private let count = Mutex(0)

    /// One more run.
    func add() { count.withLock { $0 += 1 } }

    /// The runs so far.
    var value: Int { count.withLock { $0 } }
}
