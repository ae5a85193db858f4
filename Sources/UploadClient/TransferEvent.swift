import UploadModel

/// What an upload run reports as it goes: one value per state change.
public enum TransferEvent: Sendable {
    /// The group the files go into.
    case group(groupId: String, name: String, resumed: Bool)
    /// A file's session exists and its bytes start to flow.
    case fileStarted(index: Int, groupId: String, sessionId: String, name: String, size: Int64,
                     method: UploadMethod, totalParts: Int, partsAlreadyUploaded: Int)
    /// A part was confirmed.
    case partUploaded(index: Int, groupId: String, sessionId: String, partNumber: Int, size: Int64, attempts: Int)
    /// A part failed and is sent again after `delay` seconds.
    case partRetry(index: Int, groupId: String, sessionId: String, partNumber: Int, attempt: Int, reason: String, delay: Double)
    /// A file reached a new state; `reason` says why it failed or was cancelled.
    case fileState(index: Int, groupId: String, sessionId: String?, name: String, state: FileProgress.State, reason: String?)
}
