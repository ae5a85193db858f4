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
    }

    /// The group.
    public var groupId: String
    /// Every file, in the order given.
    public var files: [File]

    /// Whether every file is COMPLETED.
    public var succeeded: Bool { files.allSatisfy { $0.state == .completed } }
}
