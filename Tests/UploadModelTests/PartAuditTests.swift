import Foundation
import Testing
@testable import UploadModel

/// Recorded parts against the storage's listing: the storage is the truth, quotes do not matter,
/// and a record the storage contradicts is reopened unless it may be newer than the listing.
@Suite struct PartAuditTests {
    let plan = PartPlan(fileSize: 25, method: .multipart, partSize: 10, totalParts: 3)
    let before = Date(timeIntervalSince1970: 1_000)
    let listedAt = Date(timeIntervalSince1970: 2_000)

    func part(_ number: Int, _ status: PartStatus, etag: String? = nil, at time: Date? = nil) -> FilePart {
        let planned = plan.part(number)!
        return FilePart(sessionId: "s", groupId: "g", partNumber: number, offset: planned.offset, size: planned.size,
                        status: status, etag: etag, createdAt: time ?? before, updatedAt: time ?? before)
    }

    @Test func everyPartHeldAsRecordedChangesNothing() {
        let recorded = [part(1, .uploaded, etag: "\"a\""), part(2, .uploaded, etag: "\"b\""), part(3, .uploaded, etag: "\"c\"")]
        let held = [StoredPart(partNumber: 1, etag: "a", size: 10), StoredPart(partNumber: 2, etag: "\"b\"", size: 10),
                    StoredPart(partNumber: 3, etag: "\"c\"", size: 5)]
        let audit = PartAudit(plan: plan, recorded: recorded, held: held, listedAt: listedAt)
        #expect(audit.isComplete && !audit.changesRecords)
    }

    @Test func partsHeldButNotRecordedAreRecordedWithTheStoragesTag() {
        let recorded = [part(1, .uploaded, etag: "\"a\""), part(2, .pending), part(3, .uploaded, etag: "\"old\"")]
        let held = [StoredPart(partNumber: 1, etag: "\"a\"", size: 10), StoredPart(partNumber: 2, etag: "\"b\"", size: 10),
                    StoredPart(partNumber: 3, etag: "\"c\"", size: 5)]
        let audit = PartAudit(plan: plan, recorded: recorded, held: held, listedAt: listedAt)
        #expect(audit.isComplete)
        #expect(audit.record.map(\.partNumber) == [2, 3] && audit.record.map(\.etag) == ["\"b\"", "\"c\""])
        #expect(audit.reopen.isEmpty)
    }

    /// SeaweedFS lists every PUT of a part number: the entry at the planned size with the recorded
    /// tag counts whatever the order; without one, the last listed at the planned size does.
    @Test func aPartListedTwiceCountsByItsRecordedTagThenByPlannedSize() {
        let recorded = [part(1, .uploaded, etag: "\"a\""), part(2, .pending), part(3, .pending)]
        for held in [
            [StoredPart(partNumber: 1, etag: "\"a\"", size: 10), StoredPart(partNumber: 1, etag: "\"z\"", size: 10)],
            [StoredPart(partNumber: 1, etag: "\"z\"", size: 10), StoredPart(partNumber: 1, etag: "\"a\"", size: 10)],
        ] {
            let audit = PartAudit(plan: plan, recorded: recorded, held: held + [StoredPart(partNumber: 3, etag: "\"c\"", size: 5)], listedAt: listedAt)
            #expect(!audit.record.contains { $0.partNumber == 1 }, "part 1 is held as recorded")
            #expect(audit.missing == [2])
        }
        // A short first PUT of part 2, then a whole one, in either order: the whole one counts.
        for held in [
            [StoredPart(partNumber: 2, etag: "\"short\"", size: 4), StoredPart(partNumber: 2, etag: "\"b\"", size: 10)],
            [StoredPart(partNumber: 2, etag: "\"b\"", size: 10), StoredPart(partNumber: 2, etag: "\"short\"", size: 4)],
        ] {
            let audit = PartAudit(plan: plan, recorded: recorded, held: held, listedAt: listedAt)
            #expect(audit.record.map(\.etag) == ["\"b\""])
            #expect(audit.missing == [1, 3])
        }
    }

    @Test func recordsTheStorageContradictsAreReopened() {
        // Part 2 was reported but never reached storage; part 1 is held at another size than planned.
        let recorded = [part(1, .uploaded, etag: "\"a\""), part(2, .uploaded, etag: "\"0123\""), part(3, .pending)]
        let held = [StoredPart(partNumber: 1, etag: "\"a\"", size: 9), StoredPart(partNumber: 3, etag: "\"c\"", size: 5)]
        let audit = PartAudit(plan: plan, recorded: recorded, held: held, listedAt: listedAt)
        #expect(!audit.isComplete)
        #expect(audit.missing == [1, 2] && audit.reopen == [1, 2])
        #expect(audit.record.map(\.partNumber) == [3])
    }

    @Test func aRecordNewerThanTheListingIsLeftAlone() {
        let recorded = [part(1, .uploaded, etag: "\"a\"", at: listedAt), part(2, .pending), part(3, .pending)]
        let audit = PartAudit(plan: plan, recorded: recorded, held: [], listedAt: listedAt)
        #expect(audit.missing == [1, 2, 3] && audit.reopen.isEmpty)
    }

    @Test func aSinglePutIsPartOne() {
        let single = PartPlan(fileSize: 7, method: .single, partSize: 7, totalParts: 1)
        let none = PartAudit(plan: single, recorded: [], held: [], listedAt: listedAt)
        #expect(none.missing == [1])
        let held = PartAudit(plan: single, recorded: [], held: [StoredPart(partNumber: 1, etag: "\"x\"", size: 7)], listedAt: listedAt)
        #expect(held.isComplete && held.record.map(\.partNumber) == [1])
        #expect(PartAudit.list(Array(1...25)).hasSuffix("20, …"))
    }
}
