import Testing
@testable import UploadModel

/// Every (from, to) pair of every entity's statuses, against the lifecycle as specified.
@Suite struct LifecycleTests {
    static let groupLegal: Set<String> = [
        "PENDING>IN_PROGRESS", "PENDING>COMPLETED", "PENDING>FAILED", "PENDING>CANCELLED",
        "IN_PROGRESS>COMPLETED", "IN_PROGRESS>FAILED", "IN_PROGRESS>CANCELLED",
        "COMPLETED>IN_PROGRESS", "COMPLETED>FAILED",
        "FAILED>IN_PROGRESS", "FAILED>COMPLETED", "FAILED>CANCELLED",
    ]
    static let fileLegal: Set<String> = [
        "PENDING>UPLOADING", "PENDING>UPLOADED", "PENDING>FAILED", "PENDING>CANCELLED", "PENDING>EXPIRED",
        "UPLOADING>UPLOADED", "UPLOADING>FAILED", "UPLOADING>CANCELLED", "UPLOADING>EXPIRED",
        "UPLOADED>PROCESSING", "UPLOADED>COMPLETED", "UPLOADED>FAILED", "UPLOADED>CANCELLED",
        "PROCESSING>COMPLETED", "PROCESSING>FAILED", "PROCESSING>CANCELLED",
        "FAILED>PENDING", "FAILED>UPLOADING", "FAILED>UPLOADED", "FAILED>PROCESSING",
        "FAILED>CANCELLED", "FAILED>EXPIRED",
    ]
    static let partLegal: Set<String> = [
        "PENDING>UPLOADING", "PENDING>UPLOADED", "PENDING>FAILED",
        "UPLOADING>PENDING", "UPLOADING>UPLOADED", "UPLOADING>FAILED",
        "UPLOADED>PENDING", "UPLOADED>UPLOADING",
        "FAILED>PENDING", "FAILED>UPLOADING", "FAILED>UPLOADED",
    ]
    static let jobLegal: Set<String> = [
        "QUEUED>RUNNING", "QUEUED>CANCELLED",
        "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>QUEUED", "RUNNING>CANCELLED",
        "FAILED>QUEUED", "FAILED>CANCELLED",
    ]

    func checkEveryPair<S: LifecycleStatus>(_ type: S.Type, legal: Set<String>) {
        var seenLegal = 0
        for from in S.allCases {
            for to in S.allCases {
                let key = "\(from.rawValue)>\(to.rawValue)"
                let expected = legal.contains(key)
                #expect(UploadLifecycle.canMove(from: from, to: to) == expected, "\(S.entityKind) \(key)")
                do {
                    try UploadLifecycle.checkMove(from: from, to: to, id: "x1")
                    #expect(expected, "\(key) should have thrown")
                    seenLegal += 1
                } catch {
                    #expect(!expected, "\(key) should be legal")
                    #expect(error.code == .invalidTransition)
                    #expect(error.code.httpStatus == 409)
                    #expect(error.message.contains(from.rawValue) && error.message.contains(to.rawValue))
                }
            }
        }
        #expect(seenLegal == legal.count)
    }

    @Test func groupTransitions() { checkEveryPair(GroupStatus.self, legal: Self.groupLegal) }
    @Test func fileTransitions() { checkEveryPair(FileStatus.self, legal: Self.fileLegal) }
    @Test func partTransitions() { checkEveryPair(PartStatus.self, legal: Self.partLegal) }
    @Test func jobTransitions() { checkEveryPair(JobStatus.self, legal: Self.jobLegal) }

    @Test func terminalStatuses() {
        #expect(GroupStatus.cancelled.isTerminal)
        #expect(FileStatus.completed.isTerminal && FileStatus.cancelled.isTerminal && FileStatus.expired.isTerminal)
        #expect(JobStatus.succeeded.isTerminal && JobStatus.cancelled.isTerminal)
        #expect(!FileStatus.failed.isTerminal)
        #expect(PartStatus.allCases.allSatisfy { !$0.isTerminal })
    }

    @Test func wireNamesAreTheDesignedOnes() {
        #expect(GroupStatus.allCases.map(\.rawValue) == ["PENDING", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED"])
        #expect(FileStatus.allCases.map(\.rawValue) == ["PENDING", "UPLOADING", "UPLOADED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "EXPIRED"])
        #expect(PartStatus.allCases.map(\.rawValue) == ["PENDING", "UPLOADING", "UPLOADED", "FAILED"])
        #expect(JobStatus.allCases.map(\.rawValue) == ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"])
    }
}
