/// Where an SSE stream starts for a client's `Last-Event-ID`: live, replaying the log after an
/// id, or with a `reset` because the log cannot answer for that id.
///
/// The rule follows the WHATWG HTML standard's Server-Sent Events (§9.2): a reconnecting client
/// sends back the last `id:` it saw, verbatim, and an answer other than 200 ends its EventSource
/// for good. So an id this log never issued (from the future, kept across a database reset or
/// restore, or not an event id at all) gets `reset` with the latest id, which becomes the
/// client's new last id, and then live events; it is neither refused (the feed would end) nor
/// taken as a cursor (nothing would arrive until the log passed it).
public enum ReplayStart: Sendable, Hashable {
    /// No `Last-Event-ID`: only events committed from now on.
    case live
    /// Replay the log after this id, then live.
    case replay(after: Int64)
    /// Send `reset` (the client reloads), then live events after the latest id.
    case reset(Reason)

    /// Why a `reset` is sent; `rawValue` is the `reason` of its data.
    public enum Reason: String, Sendable, Hashable {
        /// The log was trimmed past the client's id: the events it missed are gone.
        case replayWindowExceeded = "replay window exceeded"
        /// The log never issued that id (larger than the latest, or not a non-negative integer).
        case unknownEventId = "unknown event id"
    }

    /// The start for `lastEventId` (the header's or query's text, nil when absent) against a log
    /// whose newest id is `latestId` and oldest kept id is `oldestId` (both 0 when it is empty).
    /// An empty text counts as absent, as a browser sends none before its first `id:`.
    public static func decide(lastEventId text: String?, latestId: Int64, oldestId: Int64) -> ReplayStart {
        guard let text, !text.isEmpty else { return .live }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let id = Int64(text) else {
            return .reset(.unknownEventId)
        }
        if id > latestId { return .reset(.unknownEventId) }
        // `id < oldestId - 1`: at least one event after `id` was trimmed away.
        if oldestId > 0 && id < oldestId - 1 { return .reset(.replayWindowExceeded) }
        return .replay(after: id)
    }
}
