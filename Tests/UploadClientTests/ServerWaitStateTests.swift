import Testing
@testable import UploadClient

/// The rules for riding out a server that is away, on a clock the test holds: rounds shared by
/// every request, spaced by bounded backoff, the last one at the patience, then a give-up.
@Suite struct ServerWaitStateTests {
    let backoff = RetryPolicy(baseDelay: 0.5, maxDelay: 5)

    @Test func requestsShareRoundsThatBackOffToABoundAndEndAtThePatience() {
        var state = ServerWaitState(patience: 60, backoff: backoff)
        #expect(state.failed(at: 100, reason: "refused", jitter: 1) == .retry(at: 100.5, newRound: true))
        // Seven more requests fail before the round: they join it instead of starting their own.
        for offset in 1...7 {
            #expect(state.failed(at: 100 + Double(offset) * 0.05, reason: "refused", jitter: 1) == .retry(at: 100.5, newRound: false))
        }
        #expect(state.holdUntil(100.2) == 100.5)
        #expect(state.outage?.attempt == 1)
        var now = 100.5
        var gaps: [Double] = []
        var decision = state.failed(at: now, reason: "refused", jitter: 1)
        while case .retry(let at, true) = decision {
            gaps.append(at - now)
            now = at
            decision = state.failed(at: now, reason: "refused", jitter: 1)
        }
        #expect(Array(gaps.prefix(5)) == [1, 2, 4, 5, 5])
        #expect(gaps.allSatisfy { $0 <= 5 })
        #expect(now == 160, "the last round goes at the patience")
        #expect(decision == .giveUp(waited: 60, first: true))
        #expect(state.failed(at: 161, reason: "refused", jitter: 1) == .giveUp(waited: 61, first: false))
        #expect(state.holdUntil(161) == nil, "once given up, nothing is held back")
        #expect((state.outage?.attempt ?? 0) <= 20)
    }

    @Test func theFailureThatFindsPatienceSpentSaysSoOnce() {
        var state = ServerWaitState(patience: 10, backoff: backoff)
        _ = state.failed(at: 0, reason: "refused", jitter: 1)
        #expect(state.failed(at: 10.5, reason: "refused", jitter: 1) == .giveUp(waited: 10.5, first: true))
        #expect(state.failed(at: 11, reason: "refused", jitter: 1) == .giveUp(waited: 11, first: false))
    }

    @Test func anAnswerEndsTheOutage() {
        var state = ServerWaitState(patience: 60, backoff: backoff)
        _ = state.failed(at: 10, reason: "refused", jitter: 1)
        _ = state.failed(at: 10.5, reason: "refused", jitter: 1)
        #expect(state.answered(at: 13) == 3)
        #expect(state.outage == nil && state.answered(at: 14) == nil)
        #expect(state.failed(at: 20, reason: "reset", jitter: 1) == .retry(at: 20.5, newRound: true))
        #expect(state.outage?.attempt == 1 && state.outage?.reason == "reset")
    }

    @Test func noPatienceGivesUpAtOnce() {
        var state = ServerWaitState(patience: 0, backoff: backoff)
        #expect(state.failed(at: 5, reason: "refused", jitter: 1) == .giveUp(waited: 0, first: true))
    }

    @Test func jitterKeepsPausesWithinAQuarterOfTheBound() {
        var state = ServerWaitState(patience: 600, backoff: backoff)
        var now = 0.0
        for round in 0..<40 {
            guard case .retry(let at, _) = state.failed(at: now, reason: "refused", jitter: round % 2 == 0 ? 0.75 : 1.25) else {
                Issue.record("gave up after \(now) s of 600")
                return
            }
            #expect(at - now <= 5 * 1.25 && at - now >= 0.5 * 0.75)
            now = at
        }
    }
}
