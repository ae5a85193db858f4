import Testing
@testable import UploadModel

/// How a group's status and counters follow its sessions.
@Suite struct GroupDerivationTests {
    func derive(_ current: GroupStatus, _ statuses: [FileStatus]) -> GroupDerivation {
        var tally = SessionTally()
        for status in statuses { tally.add(status, size: 100, uploaded: status == .completed ? 100 : 10) }
        return UploadLifecycle.deriveGroup(current: current, sessions: tally)
    }

    @Test func emptyGroupStaysPending() {
        #expect(derive(.pending, []).status == .pending)
    }

    @Test func allPendingStaysPendingUntilOneMoves() {
        #expect(derive(.pending, [.pending, .pending]).status == .pending)
        #expect(derive(.pending, [.pending, .uploading]).status == .inProgress)
        #expect(derive(.inProgress, [.pending, .pending]).status == .inProgress)
    }

    @Test func completedOnlyWhenEverySessionIs() {
        #expect(derive(.inProgress, [.completed, .completed]).status == .completed)
        #expect(derive(.inProgress, [.completed, .processing]).status == .inProgress)
        #expect(derive(.inProgress, [.completed, .uploaded]).status == .inProgress)
    }

    @Test func failedWhenOneFailedAndNoneMoves() {
        #expect(derive(.inProgress, [.completed, .failed]).status == .failed)
        #expect(derive(.inProgress, [.completed, .expired]).status == .failed)
        #expect(derive(.inProgress, [.failed, .uploading]).status == .inProgress)
        #expect(derive(.inProgress, [.failed, .cancelled]).status == .failed)
    }

    @Test func cancelledSessionsAreSetAside() {
        #expect(derive(.inProgress, [.completed, .cancelled]).status == .completed)
        #expect(derive(.inProgress, [.cancelled, .cancelled]).status == .cancelled)
    }

    @Test func cancelledGroupStaysCancelled() {
        #expect(derive(.cancelled, [.completed, .uploading]).status == .cancelled)
    }

    @Test func retryMovesAFailedGroupBack() {
        #expect(derive(.failed, [.completed, .pending]).status == .inProgress)
    }

    @Test func countersAddUp() {
        let derived = derive(.inProgress, [.completed, .failed, .expired, .uploading, .cancelled])
        #expect(derived.counters.totalFiles == 5)
        #expect(derived.counters.completedFiles == 1)
        #expect(derived.counters.failedFiles == 2)
        #expect(derived.counters.totalBytes == 500)
        #expect(derived.counters.bytesUploaded == 140)
    }

    @Test func derivationNeverProposesAnIllegalMove() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let current = GroupStatus.allCases[Int(rng.next() % 5)]
            let count = Int(rng.next() % 6)
            let statuses = (0..<count).map { _ in FileStatus.allCases[Int(rng.next() % 8)] }
            let derived = derive(current, statuses).status
            #expect(derived == current || UploadLifecycle.canMove(from: current, to: derived),
                    "\(current) -> \(derived) for \(statuses)")
        }
    }
}
