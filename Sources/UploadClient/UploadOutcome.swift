/// How an upload run ended, file by file.
public struct UploadOutcome: Sendable {
    /// One file's end.
    public struct File: Sendable {
        /// The name uploaded.
        public var name: String
        /// Its session, if it got one.
        public var sessionId: String?
        /// Where it ended.
        public var state: FileProgress.State
        /// Why it failed or was cancelled.
        public var reason: String?
        /// Whether another run with `--resume` may finish it: it did not complete for a reason
        /// that can pass (the server away, a part refused, an interruption), not because the local
        /// file changed or vanished or an operator cancelled its session.
        public var resumable: Bool

        /// Creates one file's end.
        public init(name: String, sessionId: String?, state: FileProgress.State, reason: String?, resumable: Bool = false) {
            self.name = name
            self.sessionId = sessionId
            self.state = state
            self.reason = reason
            self.resumable = resumable
        }
    }

    /// The group.
    public var groupId: String
    /// Every file, in the order given.
    public var files: [File]

    /// Whether every file is COMPLETED.
    public var succeeded: Bool { files.allSatisfy { $0.state == .completed } }

    /// Whether some file did not complete and another run with `--resume` may finish it.
    public var resumable: Bool { files.contains { $0.state != .completed && $0.resumable } }
}
