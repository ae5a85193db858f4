import Synchronization

/// Keys held by requests of this process: a tus upload one PATCH is writing (a second one is
/// refused with 423, as tusd does), or a group name whose group is being found or made.
final class TusLocks: Sendable {
    private let held = Mutex<Set<String>>([])

    /// Takes `key` if no one holds it; answers whether it did.
    func tryLock(_ key: String) -> Bool {
        held.withLock { $0.insert(key).inserted }
    }

    /// Takes `key`, waiting (in steps of 5 ms, never blocking a thread) while another holds it.
    func lock(_ key: String) async throws {
        while !tryLock(key) { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Releases `key`.
    func unlock(_ key: String) {
        _ = held.withLock { $0.remove(key) }
    }
}
