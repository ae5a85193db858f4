import Synchronization

/// A test hook every read of an ``UploadReader`` passes through before it queries: a test sets a
/// closure that blocks (say, until a semaphore is signalled) to hold reads inside the database and
/// prove that what waits on them is a reader queue, never a thread of the cooperative pool or an
/// event loop. Unset, passing costs one uncontended lock.
public final class ReadGate: Sendable {
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    /// A gate that lets every read through.
    public init() {}

    /// Sets (or, with nil, clears) what each read runs first, on the reader's own queue.
    public func set(_ body: (@Sendable () -> Void)?) {
        hook.withLock { $0 = body }
    }

    /// Runs the hook, if any: called by the reader on its database queue.
    func pass() {
        hook.withLock { $0 }?()
    }
}
