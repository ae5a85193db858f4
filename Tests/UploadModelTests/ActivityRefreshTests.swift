import Foundation
import Testing
@testable import UploadModel

/// A flowing transfer records its activity well inside the TTL, but not per chunk.
@Suite struct ActivityRefreshTests {
    @Test func aQuarterOfTheTTLAtMostAMinute() {
        #expect(ActivityRefresh(sessionTTL: 3).interval == 0.75)
        #expect(ActivityRefresh(sessionTTL: 120).interval == 30)
        #expect(ActivityRefresh(sessionTTL: 86_400).interval == ActivityRefresh.maximumInterval)
        #expect(ActivityRefresh(sessionTTL: -1).interval == 0)
    }

    @Test func dueOnceTheIntervalPassed() {
        let refresh = ActivityRefresh(sessionTTL: 4)
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(!refresh.isDue(last: start, now: start))
        #expect(!refresh.isDue(last: start, now: start.addingTimeInterval(0.999)))
        #expect(refresh.isDue(last: start, now: start.addingTimeInterval(1)))
        #expect(refresh.isDue(last: start, now: start.addingTimeInterval(3600)))
    }
}
