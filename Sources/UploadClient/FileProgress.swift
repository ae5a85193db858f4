/// How far one file is, as shown to people.
public struct FileProgress: Sendable, Hashable {
    /// The session, once initiated.
    public var sessionId: String?
    /// The name shown.
    public var name: String
    /// Total bytes.
    public var size: Int64
    /// Bytes shown as done: never goes backwards, never passes `size`.
    public var shownBytes: Int64
    /// Parts confirmed by the server.
    public var partsDone: Int
    /// Parts in all.
    public var totalParts: Int
    /// Where the file is.
    public var state: State

    /// The states a file passes through on the uploader's side.
    public enum State: String, Sendable, Hashable {
        case waiting, uploading, processing, completed, failed, cancelled
    }

    /// Whether nothing more will happen to it.
    public var isFinished: Bool { state == .completed || state == .failed || state == .cancelled }
}
