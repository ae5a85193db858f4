import NIOPosix
import UploadModel

/// Runs the embedded store's file system calls (open, pwrite, rename, unlink, read) on NIO's
/// blocking-I/O thread pool (`NIOThreadPool.singleton`), never on a thread of Swift's cooperative
/// pool or an event loop: a slow disk then delays the request that waits for it, not every other
/// request the server is answering.
enum BlockingIO {
    /// Runs `body` on the blocking thread pool and returns its result.
    ///
    /// - Throws: the ``UploadError`` `body` throws; `storageError` if the pool is shutting down.
    static func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () throws -> T) async throws(UploadError) -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive(body)
        } catch let error as UploadError {
            throw error
        } catch {
            throw UploadError(.storageError, "\(what): \(error)")
        }
    }
}
