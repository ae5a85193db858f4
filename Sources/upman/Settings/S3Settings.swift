import Foundation
import ObjectStorage

/// The S3 settings as given, before they are checked together into an ``S3Configuration``.
struct S3Settings: Sendable {
    var bucket: String?
    var region = "us-east-1"
    var endpoint: String?
    var pathStyle = false
    var accessKeyId: String?
    var secretAccessKey: String?
    var sessionToken: String?

    /// The bucket's configuration.
    ///
    /// - Throws: ``ValidationFailure`` when the bucket or credentials are missing or the endpoint
    ///   is not an http(s) URL.
    func configuration() throws -> S3Configuration {
        guard let bucket, !bucket.isEmpty else {
            throw ValidationFailure("storage s3 needs a bucket (--s3-bucket, UPMAN_S3_BUCKET or s3_bucket)")
        }
        let endpointText = endpoint ?? "https://s3.\(region).amazonaws.com"
        guard let url = URL(string: endpointText), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationFailure("s3_endpoint must be an http(s) URL, not '\(endpointText)'")
        }
        guard let accessKeyId, let secretAccessKey else {
            throw ValidationFailure("storage s3 needs credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or s3_access_key_id and s3_secret_access_key)")
        }
        return S3Configuration(
            endpoint: url, bucket: bucket, region: region, pathStyle: pathStyle,
            credentials: S3Credentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken))
    }
}
