import UploadModel

/// A test hook for the embedded store's data plane: asked before a part's bytes are taken and
/// after each chunk, it may answer an error to fail that PUT the way a flaky disk or network
/// would. Production servers have none.
public struct PartFaults: Sendable {
    /// Decides, for a session's part and the bytes received so far, whether this PUT fails now.
    public let decide: @Sendable (_ sessionId: String, _ partNumber: Int, _ bytesReceived: Int64) -> UploadError?

    /// Creates a hook.
    public init(_ decide: @escaping @Sendable (_ sessionId: String, _ partNumber: Int, _ bytesReceived: Int64) -> UploadError?) {
        self.decide = decide
    }
}
