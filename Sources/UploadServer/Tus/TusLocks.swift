import Synchronization

/// Keys held by requests of this process: a tus upload one request is writing, or a group name
/// whose group is being found or made.
///
/// A writer registers how to stop it. A new PATCH of the same upload asks the writer it finds to
/// stop (its body stops being read; what arrived is kept) and takes the upload once it has let go,
/// as tusd's lock release does: a client whose connection died without a word resumes at once,
/// instead of waiting for the dead request's idle timeout.
final class TusLocks: Sendable {
    private let held = Mutex<[String: Stopper]>([:])

    /// How a holder is stopped.
    final class Stopper: Sendable {
        private let action = Mutex<(@Sendable () -> Void)?>(nil)

        /// A holder that cannot be stopped until ``set(_:)`` says how.
        init() {}

        /// Says how to stop the holder.
        func set(_ stop: @escaping @Sendable () -> Void) {
            action.withLock { $0 = stop }
        }

        /// Stops the holder (nothing when it said no way).
        func stop() {
            action.withLock { $0 }?()
        }
    }

    /// Takes `key` if no one holds it; answers whether it did.
    func tryLock(_ key: String, stopper: Stopper = Stopper()) -> Bool {
        held.withLock { held in
            guard held[key] == nil else { return false }
            held[key] = stopper
            return true
        }
    }

    /// Takes `key`, waiting (in steps of 5 ms, never blocking a thread) while another holds it.
    func lock(_ key: String) async throws {
        while !tryLock(key) { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Takes `key`; when another holds it, asks that holder to stop and waits for it to let go, up
    /// to `patience` (20 s, as long as tusd waits to acquire an upload's lock: a holder whose disk
    /// or database is slow under load still lets go in time). Answers whether it took the key.
    func takeOver(_ key: String, stopper: Stopper, patience: Duration = .seconds(20)) async -> Bool {
        if tryLock(key, stopper: stopper) { return true }
        held.withLock { $0[key] }?.stop()
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            if tryLock(key, stopper: stopper) { return true }
        }
        return false
    }

    /// Releases `key`.
    func unlock(_ key: String) {
        _ = held.withLock { $0.removeValue(forKey: key) }
    }
}
