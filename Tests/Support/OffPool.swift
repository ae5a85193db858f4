import Foundation

/// Runs blocking or long CPU-bound work (waiting for a child process, reading its pipes, writing
/// thousands of rows synchronously, generating large test files) on a thread of its own.
///
/// Tests share one process and one cooperative pool (as wide as the machine has cores) with the
/// in-process servers they start; work that holds a pool thread for long starves every server of
/// the run, and their clients then time out.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
    }
}
