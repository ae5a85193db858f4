import Testing
@testable import UploadClient

/// Progress never goes backwards and never passes 100%, even when parts are retried.
@Suite struct ProgressTrackerTests {
    @Test func retriesDoNotMoveTheBarBack() {
        let tracker = ProgressTracker()
        tracker.add(0, name: "a", size: 100)
        tracker.started(0, sessionId: "s", totalParts: 2)
        tracker.sending(0, part: 1, bytes: 40)
        #expect(tracker.files[0].shownBytes == 40)
        tracker.partFailed(0, part: 1)
        #expect(tracker.files[0].shownBytes == 40)
        tracker.sending(0, part: 1, bytes: 10)
        #expect(tracker.files[0].shownBytes == 40)
        tracker.sending(0, part: 1, bytes: 50)
        tracker.partDone(0, part: 1, size: 50)
        tracker.sending(0, part: 2, bytes: 50)
        tracker.sending(0, part: 2, bytes: 80)
        #expect(tracker.files[0].shownBytes == 100)
        tracker.partDone(0, part: 2, size: 50)
        #expect(tracker.files[0].shownBytes == 100 && tracker.files[0].partsDone == 2)
        tracker.partReopened(0, part: 1, size: 50)
        #expect(tracker.files[0].shownBytes == 100)
    }

    @Test func resumeStartsFromWhatIsThere() {
        let tracker = ProgressTracker()
        tracker.add(0, name: "a", size: 1000)
        tracker.started(0, sessionId: "s", totalParts: 10, partsDone: 4, confirmedBytes: 400)
        #expect(tracker.files[0].shownBytes == 400 && tracker.files[0].partsDone == 4)
        let totals = tracker.totals(now: 0)
        #expect(totals.shown == 400 && totals.total == 1000)
    }

    @Test func speedAndETA() {
        let tracker = ProgressTracker(window: 10)
        tracker.add(0, name: "a", size: 1000)
        tracker.started(0, sessionId: "s", totalParts: 1)
        _ = tracker.totals(now: 100)
        tracker.sending(0, part: 1, bytes: 500)
        let totals = tracker.totals(now: 101)
        #expect(totals.speed == 500)
        #expect(totals.eta == 1)
    }
}
