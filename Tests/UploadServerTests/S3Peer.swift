import AsyncHTTPClient
import Foundation
import ObjectStorage
import TestSupport

/// An S3-compatible server a test started on 127.0.0.1 and stops at its end: moto or SeaweedFS
/// (see ``S3PeerKind``). Tests speak to it only through S3 over a real socket.
protocol S3Peer: Sendable {
    /// Which server this is.
    var kind: S3PeerKind { get }
    /// Where it answers S3 (`http://127.0.0.1:PORT`).
    var endpoint: URL { get }
    /// The access key and secret this server accepts.
    var credentials: S3Credentials { get }
    /// Stops the server, waits for it (off the cooperative pool) and removes what it left behind.
    func stop() async
}

extension S3Peer {
    /// A configuration for `bucket` on this server (path style, region us-east-1).
    func configuration(bucket: String = "upman") -> S3Configuration {
        S3Configuration(endpoint: endpoint, bucket: bucket, region: "us-east-1", pathStyle: true, credentials: credentials)
    }

    /// A store on `bucket`, created if missing. A server that answers before its metadata store is
    /// ready may refuse the first CreateBucket: it is asked again for a few seconds.
    func storage(bucket: String = "upman") async throws -> S3Storage {
        let storage = S3Storage(configuration: configuration(bucket: bucket))
        var tries = 0
        while true {
            do {
                try await storage.createBucketIfMissing()
                return storage
            } catch {
                tries += 1
                if tries >= 50 { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Whether the server answers HTTP on its endpoint (any status under 500) while `running`
    /// holds, polled for up to `seconds`.
    static func answers(_ endpoint: URL, seconds: Double, running: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !(await running()) { return false }
            var request = HTTPClientRequest(url: endpoint.absoluteString + "/")
            request.method = .GET
            if let response = try? await S3Storage.sharedHTTPClient.execute(request, timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 20)
                if response.status.code < 500 { return true }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
