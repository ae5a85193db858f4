import Synchronization

/// Rides out a server that is away (restarting, or a proxy in front of it saying so) for up to a
/// patience, shared by every request of a client: each request holds back until the current round
/// of tries (``ready()``), a failure to reach the server joins or starts a round
/// (``failed(_:)``), and any answer ends the outage (``answered()``). Rounds are spaced by
/// exponential backoff with jitter, bounded, so a run of many parallel requests does not hammer a
/// server that is coming back. See ``ServerWaitState`` for the rules.
public final class ServerWait: Sendable {
    /// What people are told as it happens.
    public enum Change: Sendable {
        /// A new round of tries is due in `nextIn` seconds.
        case waiting(Outage, nextIn: Double)
        /// The server answers again after `awaySeconds`.
        case reachable(awaySeconds: Double)
        /// Patience ran out.
        case gaveUp(Outage, awaySeconds: Double)
    }

    private let state: Mutex<ServerWaitState>
    private let origin = ContinuousClock.now
    private let observe: @Sendable (Change) -> Void

    /// Waits up to `patience` for a server that is away; rounds `backoff.baseDelay` apart at first,
    /// doubling up to `backoff.maxDelay`. `observe` hears each change (from any task; keep it short).
    public init(
        patience: Duration = .seconds(60), backoff: RetryPolicy = RetryPolicy(baseDelay: 0.5, maxDelay: 5),
        observe: @escaping @Sendable (Change) -> Void = { _ in }
    ) {
        state = Mutex(ServerWaitState(patience: patience.seconds, backoff: backoff))
        self.observe = observe
    }

    /// How long an outage is ridden out, in seconds.
    public var patience: Double { state.withLock { $0.patience } }

    /// The outage under way, if any, with the seconds until its next round and since it began.
    public var current: (outage: Outage, nextIn: Double, away: Double)? {
        let now = self.now
        return state.withLock { state in state.outage.map { ($0, max(0, $0.nextTry - now), now - $0.since) } }
    }

    /// Whether patience ran out and the server has not answered since.
    public var hasGivenUp: Bool { state.withLock { $0.outage?.gaveUp ?? false } }

    /// Holds back until the current round's time, if the server is away; throws only on cancellation.
    public func ready() async throws {
        while true {
            let now = self.now
            guard let until = state.withLock({ $0.holdUntil(now) }) else { return }
            try await Task.sleep(for: .seconds(until - now))
        }
    }

    /// The server answered (any HTTP answer of its own, error or not).
    public func answered() {
        let now = self.now
        if let away = state.withLock({ $0.answered(at: now) }) { observe(.reachable(awaySeconds: away)) }
    }

    /// A request failed to reach the server with `error`. Returns when it may be sent again (after
    /// ``ready()``); throws an `unreachable` error once patience is spent.
    public func failed(_ error: ClientError) throws {
        let now = self.now
        let jitter = Double.random(in: 0.75...1.25)
        let (decision, outage) = state.withLock { state in
            let decision = state.failed(at: now, reason: error.description, jitter: jitter)
            return (decision, state.outage!)
        }
        switch decision {
        case .retry(let at, let newRound):
            if newRound { observe(.waiting(outage, nextIn: at - now)) }
        case .giveUp(let waited, let first):
            if first { observe(.gaveUp(outage, awaySeconds: waited)) }
            if error.description.contains(Self.gaveUp) { throw error }
            throw ClientError.unreachable("\(error.description) (\(Self.gaveUp) \(Int(waited.rounded())) s for the server)")
        }
    }

    /// How a give-up error says so (an error that already says it is passed on as it is).
    static let gaveUp = "gave up after waiting"

    private var now: Double { (ContinuousClock.now - origin).seconds }
}
