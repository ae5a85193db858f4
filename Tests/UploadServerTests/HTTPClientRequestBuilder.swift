import AsyncHTTPClient
import Foundation
import NIOCore

/// Small request builders for tests that talk to S3 directly.
enum HTTPClientRequestBuilder {
    /// A PUT of `bytes` to `url`.
    static func put(_ url: URL, _ bytes: Data) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .PUT
        request.body = .bytes(ByteBuffer(bytes: bytes))
        return request
    }
}
