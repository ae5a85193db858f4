/// How far one file is, as shown to people.
public struct FileProgress: Sendable, Hashable {
    /// The session, once initiated.
    public var sessionId: String?
    /// The name shown (not yet escaped for a terminal).
    public var name: String
    /// Total bytes.
    public var size: Int64
    /// Bytes the server confirmed: parts it recorded (including those an earlier run sent), or the
    /// whole file once the session is UPLOADED or later. Never more than `size`.
    public var confirmedBytes: Int64
    /// Parts confirmed by the server.
    public var partsDone: Int
    /// Parts in all.
    public var totalParts: Int
    /// Where the file is.
    public var state: State

    /// Creates a file's progress.
    public init(sessionId: String?, name: String, size: Int64, confirmedBytes: Int64, partsDone: Int, totalParts: Int, state: State) {
        self.sessionId = sessionId
        self.name = name
        self.size = size
        self.confirmedBytes = confirmedBytes
        self.partsDone = partsDone
        self.totalParts = totalParts
        self.state = state
    }

    /// The states a file passes through on the uploader's side.
    public enum State: String, Sendable, Hashable {
        case waiting, uploading, processing, completed, failed, cancelled
    }

    /// Whether nothing more will happen to it.
    public var isFinished: Bool { state == .completed || state == .failed || state == .cancelled }

    /// Whether it is being sent or processed now.
    public var isActive: Bool { state == .uploading || state == .processing }
}
