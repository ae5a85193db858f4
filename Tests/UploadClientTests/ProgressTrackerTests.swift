import Testing
@testable import UploadClient

/// Progress is what the server confirmed; speed is what this run sent.
@Suite struct ProgressTrackerTests {
    @Test func bytesInFlightAreNotDoneUntilTheServerConfirmsThem() {
        let tracker = ProgressTracker()
        tracker.add(0, name: "a", size: 100)
        tracker.started(0, sessionId: "s", totalParts: 2)
        tracker.sending(0, part: 1, bytes: 40)
        #expect(tracker.files[0].confirmedBytes == 0)
        #expect(tracker.snapshot(now: 0).confirmedBytes == 0)
        tracker.partFailed(0, part: 1)
        tracker.sending(0, part: 1, bytes: 10)
        tracker.sending(0, part: 1, bytes: 50)
        tracker.partDone(0, part: 1, size: 50)
        tracker.sending(0, part: 2, bytes: 50)
        // Everything was read and handed to the network; the server holds only part 1.
        #expect(tracker.files[0].confirmedBytes == 50)
        let snapshot = tracker.snapshot(now: 1)
        #expect(snapshot.confirmedBytes == 50 && snapshot.fraction == 0.5)
        #expect(snapshot.sentBytes == 40 + 50 + 50, "a failed attempt's bytes were sent all the same")
        tracker.set(0, .cancelled)
        #expect(tracker.files[0].confirmedBytes == 50, "an interrupted file shows what the server holds")
        tracker.partReopened(0, part: 1, size: 50)
        #expect(tracker.files[0].confirmedBytes == 0 && tracker.files[0].partsDone == 0)
        tracker.set(0, .completed)
        #expect(tracker.files[0].confirmedBytes == 100 && tracker.snapshot(now: 2).completedCount == 1)
    }

    @Test func aResumeShowsWhatIsThereButDoesNotCountItAsSent() {
        let tracker = ProgressTracker(window: 10)
        tracker.add(0, name: "a", size: 1000)
        _ = tracker.snapshot(now: 100)
        tracker.started(0, sessionId: "s", totalParts: 10, partsDone: 9, confirmedBytes: 900)
        let resumed = tracker.snapshot(now: 101)
        #expect(resumed.confirmedBytes == 900 && resumed.totalBytes == 1000 && resumed.sentBytes == 0)
        #expect(resumed.speed == 0, "the 900 bytes already on the server were not sent by this run")
        tracker.sending(0, part: 10, bytes: 100)
        tracker.partDone(0, part: 10, size: 100)
        let finished = tracker.snapshot(now: 102)
        #expect(finished.speed == 50)
        #expect(finished.sentBytes == 100 && finished.eta == 0)
    }

    @Test func speedAndETAFromSentBytes() {
        let tracker = ProgressTracker(window: 10)
        tracker.add(0, name: "a", size: 1000)
        tracker.started(0, sessionId: "s", totalParts: 1)
        _ = tracker.snapshot(now: 100)
        tracker.sending(0, part: 1, bytes: 500)
        let snapshot = tracker.snapshot(now: 101)
        #expect(snapshot.speed == 500)
        #expect(snapshot.eta == 2, "1,000 bytes are still unconfirmed")
    }

    @Test func filesWithoutBytesCountByFiles() {
        let tracker = ProgressTracker()
        tracker.add(0, name: "empty-a", size: 0)
        tracker.add(1, name: "empty-b", size: 0)
        #expect(tracker.snapshot().fraction == 0)
        tracker.set(0, .completed)
        #expect(tracker.snapshot().fraction == 0.5)
        #expect(ProgressTracker().snapshot().fraction == 0, "no files is not 100%")
    }
}
