import Foundation

/// Where an S3-compatible service is and how to address its bucket.
public struct S3Configuration: Sendable, Hashable {
    /// The service's base URL, e.g. `http://127.0.0.1:9000` (MinIO) or `https://s3.eu-west-1.amazonaws.com`.
    public var endpoint: URL
    /// The bucket every object goes to.
    public var bucket: String
    /// The signing region (default `us-east-1`, what MinIO expects unless configured otherwise).
    public var region: String
    /// `true`: `ENDPOINT/BUCKET/KEY` (MinIO, moto); `false`: `BUCKET.HOST/KEY` (AWS's default).
    public var pathStyle: Bool
    /// The keys requests are signed with.
    public var credentials: S3Credentials

    /// Creates a configuration.
    public init(endpoint: URL, bucket: String, region: String = "us-east-1", pathStyle: Bool = false, credentials: S3Credentials) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.pathStyle = pathStyle
        self.credentials = credentials
    }

    /// The `Host` header value: host, plus the port when it is not the scheme's default.
    public var host: String {
        let name = endpoint.host ?? "localhost"
        let base = pathStyle ? name : "\(bucket).\(name)"
        guard let port = endpoint.port else { return base }
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return base }
        return "\(base):\(port)"
    }

    /// The encoded path of an object (or of the bucket itself when `key` is empty).
    public func encodedPath(key: String) -> String {
        let prefix = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        let keyPath = key.isEmpty ? "" : SigV4Signer.encode(key, keepSlash: true)
        if pathStyle {
            return SigV4Signer.encode(prefix, keepSlash: true) + "/" + SigV4Signer.encode(bucket) + (key.isEmpty ? "" : "/" + keyPath)
        }
        return SigV4Signer.encode(prefix, keepSlash: true) + "/" + keyPath
    }

    /// The full URL of a request: scheme, host, encoded path and query.
    public func url(encodedPath: String, query: [(String, String)]) -> URL {
        let scheme = endpoint.scheme ?? "https"
        let queryText = query.isEmpty ? "" : "?" + SigV4Signer.queryString(query)
        return URL(string: "\(scheme)://\(host)\(encodedPath)\(queryText)")!
    }
}
