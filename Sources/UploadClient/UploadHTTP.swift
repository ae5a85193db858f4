import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The HTTP client upman's clients share: connection failures are reported at once (the
/// uploader retries by itself, with backoff) instead of being retried until a deadline.
public enum UploadHTTP {
    /// The shared client; it lives as long as the process.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()
}
