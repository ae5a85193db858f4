/// The decisions behind ``ServerWait``, as a value with no clock and no I/O: given failures to reach
/// the server and answers from it, it says when the next round of tries may go and when patience
/// is spent.
///
/// One outage runs from the first failure after an answer to the next answer. Its rounds are spaced
/// by `backoff` (exponential, with jitter, at most `backoff.maxDelay` apart), the last one at
/// `since + patience`; a failure after that gives up.
public struct ServerWaitState: Sendable, Hashable {
    /// What a failure leads to.
    public enum Decision: Sendable, Hashable {
        /// Try again at `at`; `newRound` when this failure started that round.
        case retry(at: Double, newRound: Bool)
        /// Patience is spent: the server has been away `waited` seconds. `first` for the failure that
        /// found it out (later ones give up too, until the server answers).
        case giveUp(waited: Double, first: Bool)
    }

    /// How long an outage is ridden out, in seconds.
    public let patience: Double
    /// The spacing of rounds (only `baseDelay` and `maxDelay` matter).
    public let backoff: RetryPolicy
    /// The outage under way, if any.
    public private(set) var outage: Outage?

    /// Creates the state of a server that answers.
    public init(patience: Double, backoff: RetryPolicy) {
        self.patience = max(0, patience)
        self.backoff = backoff
    }

    /// A request failed to reach the server at `now` because of `reason`. `jitter` scales the pause
    /// before a new round (0.75...1.25 in use; 1 in tests).
    public mutating func failed(at now: Double, reason: String, jitter: Double) -> Decision {
        guard var current = outage else {
            let first = Outage(since: now, attempt: 1, nextTry: now, reason: reason, gaveUp: patience == 0)
            outage = first
            if first.gaveUp { return .giveUp(waited: 0, first: true) }
            outage?.nextTry = min(now + backoff.delay(after: 1, jitter: jitter), now + patience)
            return .retry(at: outage!.nextTry, newRound: true)
        }
        current.reason = reason
        defer { outage = current }
        if current.gaveUp || now - current.since >= patience {
            let first = !current.gaveUp
            current.gaveUp = true
            return .giveUp(waited: now - current.since, first: first)
        }
        if now < current.nextTry { return .retry(at: current.nextTry, newRound: false) }
        current.attempt += 1
        current.nextTry = min(now + backoff.delay(after: current.attempt, jitter: jitter), current.since + patience)
        return .retry(at: current.nextTry, newRound: true)
    }

    /// The server answered at `now` (any HTTP answer of its own). Returns how long it had been away
    /// when this ends an outage.
    public mutating func answered(at now: Double) -> Double? {
        guard let current = outage else { return nil }
        outage = nil
        return now - current.since
    }

    /// Until when a request should hold back (a round is scheduled and patience is not spent).
    public func holdUntil(_ now: Double) -> Double? {
        guard let outage, !outage.gaveUp, outage.nextTry > now else { return nil }
        return outage.nextTry
    }
}
