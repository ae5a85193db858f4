import Testing
@testable import UploadModel

/// The planner at its edges: threshold, minimum part size, 10,000 parts, 5 TiB.
@Suite struct PartPlannerTests {
    let planner = PartPlanner()
    let mib = PartPlanner.mebibyte

    func checkCovers(_ plan: PartPlan) {
        let parts = plan.parts
        #expect(parts.count == plan.totalParts)
        #expect(parts.map(\.size).reduce(0, +) == plan.fileSize)
        #expect(parts.last.map { $0.offset + $0.size } == plan.fileSize)
        if plan.method == .multipart {
            #expect(parts.dropLast().allSatisfy { $0.size == plan.partSize && $0.size >= 5 * mib })
            #expect(parts.last!.size > 0 && parts.last!.size <= plan.partSize)
        }
    }

    @Test func zeroBytesIsOneEmptyPut() throws {
        let plan = try planner.plan(fileSize: 0)
        #expect(plan.method == .single)
        #expect(plan.totalParts == 1)
        #expect(plan.part(1)?.size == 0)
        checkCovers(plan)
    }

    @Test func thresholdEdges() throws {
        let below = try planner.plan(fileSize: 8 * mib - 1)
        #expect(below.method == .single && below.totalParts == 1 && below.partSize == 8 * mib - 1)
        let at = try planner.plan(fileSize: 8 * mib)
        #expect(at.method == .multipart && at.totalParts == 1 && at.partSize == 8 * mib)
        let above = try planner.plan(fileSize: 8 * mib + 1)
        #expect(above.method == .multipart && above.totalParts == 2)
        #expect(above.part(2)?.size == 1)
        for plan in [below, at, above] { checkCovers(plan) }
    }

    @Test func tenThousandPartBoundaryAtFiveMiB() throws {
        let exact = try planner.plan(fileSize: 5 * mib * 10_000, partSize: 5 * mib)
        #expect(exact.partSize == 5 * mib && exact.totalParts == 10_000)
        let over = try planner.plan(fileSize: 5 * mib * 10_000 + 1, partSize: 5 * mib)
        #expect(over.partSize == 6 * mib)
        #expect(over.totalParts <= 10_000)
        checkCovers(exact)
        checkCovers(over)
    }

    @Test func partSizeGrowsForHugeFiles() throws {
        let plan = try planner.plan(fileSize: 100 * 1024 * mib)
        #expect(plan.totalParts <= 10_000)
        #expect(plan.partSize % mib == 0)
        #expect(plan.partSize > 8 * mib)
        checkCovers(plan)
    }

    @Test func bigFilesGetBiggerPartsUnlessASizeIsAsked() throws {
        #expect(try planner.plan(fileSize: 1024 * mib).partSize == 8 * mib)
        #expect(try planner.plan(fileSize: 8 * 1000 * mib).partSize == 8 * mib)
        let sixteen = try planner.plan(fileSize: 16 * 1024 * mib)
        #expect(sixteen.partSize == 17 * mib && sixteen.totalParts <= 1000)
        #expect(try planner.plan(fileSize: 64 * 1024 * mib).partSize == 32 * mib)
        // Asked for, the size is kept; past 10,000 parts it grows again either way.
        #expect(try planner.plan(fileSize: 16 * 1024 * mib, partSize: 8 * mib).partSize == 8 * mib)
        let huge = try planner.plan(fileSize: 1024 * 1024 * mib)
        #expect(huge.totalParts <= 10_000 && huge.partSize > 32 * mib)
        for plan in [sixteen, huge] { checkCovers(plan) }
    }

    @Test func fiveTebibytesIsTheLimit() throws {
        let plan = try planner.plan(fileSize: 5 * PartPlanner.tebibyte)
        #expect(plan.totalParts <= 10_000)
        #expect(plan.partSize <= 5 * 1024 * mib)
        checkCovers(plan)
        #expect(throws: UploadError.self) { try planner.plan(fileSize: 5 * PartPlanner.tebibyte + 1) }
        do {
            _ = try planner.plan(fileSize: 5 * PartPlanner.tebibyte + 1)
        } catch {
            #expect(error.code == .fileTooLarge)
            #expect(error.code.httpStatus == 413)
        }
    }

    @Test func badInputIsACodedError() {
        do { _ = try planner.plan(fileSize: -1); Issue.record("negative size accepted") } catch {
            #expect(error.code == .invalidArgument)
        }
        do { _ = try planner.plan(fileSize: 100 * mib, partSize: 5 * mib - 1); Issue.record("tiny parts accepted") } catch {
            #expect(error.code == .invalidPartSize)
        }
        do { _ = try planner.plan(fileSize: 100 * mib, partSize: 6 * 1024 * mib); Issue.record("huge parts accepted") } catch {
            #expect(error.code == .invalidPartSize)
        }
    }

    @Test func requestedPartSizeIsUsed() throws {
        let plan = try planner.plan(fileSize: 64 * mib, partSize: 16 * mib)
        #expect(plan.partSize == 16 * mib && plan.totalParts == 4)
    }

    @Test func outOfRangePartNumbersHaveNoPart() throws {
        let plan = try planner.plan(fileSize: 20 * mib)
        #expect(plan.part(0) == nil)
        #expect(plan.part(plan.totalParts + 1) == nil)
    }
}
