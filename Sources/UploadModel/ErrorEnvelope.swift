/// The JSON error body of every failed request: `{"error":{"code":…,"message":…}}`.
public struct ErrorEnvelope: Codable, Sendable, Hashable {
    /// The error.
    public var error: ErrorDetail

    /// Creates an error body.
    public init(_ error: ErrorDetail) {
        self.error = error
    }
}
