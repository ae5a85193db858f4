import Foundation

/// When an event-stream client connects again after its stream ended: exponential backoff with
/// jitter that never waits less than the server's `retry:` (the reconnection time of the WHATWG
/// HTML standard, §9.2 "Server-sent events"), and that starts over only after a stream proved
/// healthy, by delivering an event or by staying open for ``stableAfter`` seconds. A stream that
/// answers 200 and closes at once is a failure like any other: resetting on every 200 turns a
/// misbehaving proxy into a reconnect storm.
///
/// A value type with no clock of its own: the caller says what happened and how long the stream
/// was open, and asks for the pause.
public struct ReconnectBackoff: Sendable, Hashable {
    /// The first pause in seconds (default 0.5); it doubles with each failed attempt.
    public var baseDelay: TimeInterval
    /// The longest pause in seconds (default 30), unless the server asks for longer.
    public var maxDelay: TimeInterval
    /// Seconds a stream must stay open, without events, to count as healthy (default 10).
    public var stableAfter: TimeInterval
    /// Failed attempts since the last healthy stream.
    public private(set) var failures = 0
    /// The server's `retry:` in seconds, the least pause from now on (nil until it sends one).
    public private(set) var serverRetry: TimeInterval?

    /// A backoff with the given bounds.
    public init(baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 30, stableAfter: TimeInterval = 10) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.stableAfter = stableAfter
    }

    /// Records the server's `retry:` field (milliseconds, as the stream carries it); a negative
    /// value is ignored.
    public mutating func serverAsked(retryMilliseconds: Int) {
        guard retryMilliseconds >= 0 else { return }
        serverRetry = Double(retryMilliseconds) / 1000
    }

    /// Records how a stream ended: `receivedEvent` when at least one event came through, and
    /// `openFor` the seconds it was open (0 when it never opened). Returns the pause in seconds
    /// before the next attempt.
    ///
    /// `jitter` is a factor in 0...1 (random by default) that spreads clients apart: the
    /// exponential pause is scaled into its upper half-to-whole, and a pause set by the server's
    /// `retry:` is stretched by up to a fifth so that clients it dropped together do not return
    /// together.
    public mutating func streamEnded(receivedEvent: Bool, openFor: TimeInterval,
                                     jitter: Double = Double.random(in: 0...1)) -> TimeInterval {
        if receivedEvent || openFor >= stableAfter {
            failures = 0
        }
        failures += 1
        let exponential = min(maxDelay, baseDelay * pow(2, Double(min(failures - 1, 30))))
        let spread = exponential * (0.5 + 0.5 * jitter)
        guard let floor = serverRetry else { return spread }
        return max(floor * (1 + 0.2 * jitter), spread)
    }
}
