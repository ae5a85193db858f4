/// A stretch of time in which the server could not be reached, as ``ServerWait`` tracks it.
/// Times are seconds on the monotonic clock of whoever keeps it.
public struct Outage: Sendable, Hashable {
    /// When the first failure of this outage happened.
    public var since: Double
    /// Rounds of tries so far (1 after the first failure). Requests that fail before the next
    /// round's time join the current round instead of starting one.
    public var attempt: Int
    /// When the next round may try.
    public var nextTry: Double
    /// Why the latest try failed, in one line.
    public var reason: String
    /// Whether patience ran out; stays set until the server answers again.
    public var gaveUp: Bool
}
