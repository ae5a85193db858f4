import Testing
@testable import UploadModel

/// Where an SSE stream starts for a `Last-Event-ID`: ids the log never issued get `reset`, never
/// a cursor past the end of the log.
@Suite struct ReplayStartTests {
    @Test func noIdMeansLive() {
        #expect(ReplayStart.decide(lastEventId: nil, latestId: 3, oldestId: 1) == .live)
        #expect(ReplayStart.decide(lastEventId: "", latestId: 3, oldestId: 1) == .live)
    }

    @Test func idsTheLogHoldsAreReplayed() {
        #expect(ReplayStart.decide(lastEventId: "0", latestId: 3, oldestId: 1) == .replay(after: 0))
        #expect(ReplayStart.decide(lastEventId: "2", latestId: 3, oldestId: 1) == .replay(after: 2))
        #expect(ReplayStart.decide(lastEventId: "3", latestId: 3, oldestId: 1) == .replay(after: 3))
        #expect(ReplayStart.decide(lastEventId: "0", latestId: 0, oldestId: 0) == .replay(after: 0))
        // The oldest kept event is the next one: nothing was lost.
        #expect(ReplayStart.decide(lastEventId: "4", latestId: 9, oldestId: 5) == .replay(after: 4))
    }

    @Test func idsFromTheFutureGetAReset() {
        #expect(ReplayStart.decide(lastEventId: "100000", latestId: 3, oldestId: 1) == .reset(.unknownEventId))
        #expect(ReplayStart.decide(lastEventId: "4", latestId: 3, oldestId: 1) == .reset(.unknownEventId))
        #expect(ReplayStart.decide(lastEventId: "1", latestId: 0, oldestId: 0) == .reset(.unknownEventId), "an empty log issued nothing")
        #expect(ReplayStart.decide(lastEventId: String(Int64.max), latestId: 3, oldestId: 1) == .reset(.unknownEventId))
    }

    @Test func malformedIdsGetAResetToo() {
        for text in ["abc", "-1", "+5", " 5", "5 ", "1.0", "1e3", "0x10", "99999999999999999999999", "٣", "3\0"] {
            #expect(ReplayStart.decide(lastEventId: text, latestId: 3, oldestId: 1) == .reset(.unknownEventId), "\(text.debugDescription)")
        }
    }

    @Test func idsOlderThanTheLogGetAReset() {
        #expect(ReplayStart.decide(lastEventId: "1", latestId: 9, oldestId: 5) == .reset(.replayWindowExceeded))
        #expect(ReplayStart.decide(lastEventId: "3", latestId: 9, oldestId: 5) == .reset(.replayWindowExceeded))
    }
}
