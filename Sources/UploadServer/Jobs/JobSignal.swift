import Synchronization

/// Wakes the job runner when jobs were queued, so it need not poll quickly.
public final class JobSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    /// Creates a signal.
    public init() {}

    /// Says there may be work.
    public func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits until notified (returns at once if a notification is pending).
    public func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter?.resume()
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
