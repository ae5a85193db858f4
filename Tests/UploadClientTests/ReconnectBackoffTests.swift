import Foundation
import Testing
import UploadClient

/// The event feed's reconnect pauses: exponential, floored by the server's `retry:`, reset only
/// by a healthy stream.
@Suite struct ReconnectBackoffTests {
    @Test func failuresDoubleUpToTheCap() {
        var backoff = ReconnectBackoff(baseDelay: 0.5, maxDelay: 4, stableAfter: 10)
        let pauses = (0..<6).map { _ in backoff.streamEnded(receivedEvent: false, openFor: 0, jitter: 1) }
        #expect(pauses == [0.5, 1, 2, 4, 4, 4])
        #expect(backoff.failures == 6)
    }

    @Test func anOkThatClosesAtOnceIsStillAFailure() {
        var backoff = ReconnectBackoff(baseDelay: 0.5, maxDelay: 30, stableAfter: 10)
        _ = backoff.streamEnded(receivedEvent: false, openFor: 0.01, jitter: 1)
        let second = backoff.streamEnded(receivedEvent: false, openFor: 0.01, jitter: 1)
        #expect(second == 1)
        #expect(backoff.failures == 2)
    }

    @Test func aHealthyStreamStartsOver() {
        var backoff = ReconnectBackoff(baseDelay: 0.5, maxDelay: 30, stableAfter: 10)
        for _ in 0..<5 { _ = backoff.streamEnded(receivedEvent: false, openFor: 0, jitter: 1) }
        #expect(backoff.streamEnded(receivedEvent: true, openFor: 0.1, jitter: 1) == 0.5)
        for _ in 0..<5 { _ = backoff.streamEnded(receivedEvent: false, openFor: 0, jitter: 1) }
        #expect(backoff.streamEnded(receivedEvent: false, openFor: 11, jitter: 1) == 0.5)
    }

    @Test func theServersRetryIsTheLeastPause() {
        var backoff = ReconnectBackoff(baseDelay: 0.5, maxDelay: 30, stableAfter: 10)
        backoff.serverAsked(retryMilliseconds: 5000)
        for jitter in [0.0, 0.5, 1.0] {
            var copy = backoff
            #expect(copy.streamEnded(receivedEvent: true, openFor: 0, jitter: jitter) >= 5)
        }
        backoff.serverAsked(retryMilliseconds: -1)
        #expect(backoff.serverRetry == 5)
    }

    @Test func jitterSpreadsClientsApart() {
        var low = ReconnectBackoff()
        var high = ReconnectBackoff()
        #expect(low.streamEnded(receivedEvent: false, openFor: 0, jitter: 0) < high.streamEnded(receivedEvent: false, openFor: 0, jitter: 1))
    }
}
