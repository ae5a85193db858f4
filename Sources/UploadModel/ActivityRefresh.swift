import Foundation

/// How often a session that is receiving bytes records its activity (`lastActivityAt`), so the
/// idle-session sweeper, which expires sessions idle longer than the TTL, never takes a live
/// transfer for an idle one, without a database write per chunk.
///
/// The interval is a quarter of the TTL, at most ``maximumInterval``: a session's recorded
/// activity is then never older than that while its bytes flow, far inside the TTL, and a
/// transfer costs at most one write per interval.
public struct ActivityRefresh: Sendable, Hashable {
    /// The longest time between two records of a flowing transfer, in seconds.
    public static let maximumInterval: TimeInterval = 60

    /// Seconds between two records of one session's activity.
    public let interval: TimeInterval

    /// The refresh for sessions that expire after `sessionTTL` seconds without activity.
    public init(sessionTTL: TimeInterval) {
        interval = max(0, min(sessionTTL / 4, Self.maximumInterval))
    }

    /// Whether activity last recorded at `last` should be recorded again at `now`.
    public func isDue(last: Date, now: Date) -> Bool {
        now.timeIntervalSince(last) >= interval
    }
}
