import Foundation
import Synchronization

/// The base URL signed part URLs point to. It may be set once the server knows its port (a
/// server started on port 0 learns it only after binding).
public final class ServerAddress: Sendable {
    private let url: Mutex<URL>

    /// Creates an address.
    public init(_ url: URL) {
        self.url = Mutex(url)
    }

    /// The current base URL.
    public var baseURL: URL { url.withLock { $0 } }

    /// Replaces the base URL.
    public func update(_ newValue: URL) {
        url.withLock { $0 = newValue }
    }
}
