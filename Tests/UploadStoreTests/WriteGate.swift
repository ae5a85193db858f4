import Foundation

/// Holds the store's writer inside a transaction body until the test opens it, so that the
/// transactions submitted meanwhile queue up and run as one batch.
final class WriteGate: @unchecked Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var inside = false

    /// Called from the body on the writer: says it is inside, then blocks until ``open()``.
    func hold() {
        lock.withLock { inside = true }
        entered.signal()
        opened.wait()
    }

    /// Whether the writer is held in ``hold()``.
    var isHeld: Bool { lock.withLock { inside } }

    /// Lets the held body return.
    func open() { opened.signal() }
}
