import Foundation
import UploadModel

/// What the live feed delivers.
public enum FeedItem: Sendable {
    /// A committed change.
    case event(UploadEvent)
    /// The log no longer reaches back to where the client was: reload everything. The feed
    /// continues after `latestId`.
    case reset(latestId: Int64?)
    /// The stream is open (again).
    case connected
    /// The stream dropped; it reconnects after a pause of `after` seconds (`attempt` counts the
    /// tries since the last healthy stream).
    case reconnecting(attempt: Int, reason: String, after: TimeInterval)
}
