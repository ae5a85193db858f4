import Foundation
import UploadModel
import UploadServer

/// The part failures `upman demo` injects into its embedded store: the first attempt at part 2 of
/// every multipart file breaks off after 1 MiB, like a flaky disk would, so the uploader retries it.
final class DemoFaults: @unchecked Sendable {
    private let lock = NSLock()
    private var failed: Set<String> = []

    /// The hook to give the server.
    var hook: PartFaults {
        PartFaults { [self] sessionId, partNumber, received in
            guard partNumber == 2, received >= 1 << 20 else { return nil }
            let first = lock.withLock { failed.insert(sessionId).inserted }
            return first ? UploadError(.storageError, "demo: the disk hiccuped after \(received) bytes") : nil
        }
    }
}
