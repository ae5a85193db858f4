/// The last error recorded on an entity: a stable machine-readable code and a message for people.
public struct ErrorDetail: Codable, Sendable, Hashable {
    /// A stable code such as `checksumMismatch`.
    public var code: String
    /// A one-line explanation for operators.
    public var message: String

    /// Creates an error detail.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
