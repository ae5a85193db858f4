/// The keys an S3-compatible service knows a caller by.
public struct S3Credentials: Sendable, Hashable {
    /// The access key id (`AWS_ACCESS_KEY_ID`).
    public var accessKeyId: String
    /// The secret access key (`AWS_SECRET_ACCESS_KEY`); never logged.
    public var secretAccessKey: String
    /// A temporary session token (`AWS_SESSION_TOKEN`), if the keys are temporary.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}
