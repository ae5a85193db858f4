import TestSupport
import Foundation
import GRDB
import Testing
import UploadModel
@testable import UploadStore

/// The database file: WAL, migrations, two writers, fixtures.
@Suite struct DatabaseFileTests {
    @Test func walModeAndReopeningIsHarmless() async throws {
        let db = try TestDatabase()
        try db.makeSession(size: 10)
        let again = try UploadStore(path: db.path)
        let third = try UploadStore(path: db.path)
        #expect(try await again.reader.session("ses_1") != nil)
        let mode = try again.reader.snapshot { try String.fetchOne($0.grdb, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let migrations = try third.reader.snapshot { try Int.fetchOne($0.grdb, sql: "SELECT count(*) FROM grdb_migrations") }
        #expect(migrations == 9)
        try db.verify()
    }

    @Test func twoWritersWaitInsteadOfFailing() async throws {
        let db = try TestDatabase()
        try db.makeSession(size: 5 * PartPlanner.mebibyte * 400, partSize: 5 * PartPlanner.mebibyte)
        let second = try UploadStore(path: db.path)
        let stores = [db.store, second]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                // Each writer waits for SQLite's lock on a thread of its own, not on the pool.
                group.addTask {
                    try await offPool {
                        for number in stride(from: index + 1, through: 400, by: 2) {
                            try store.write(actedBy: "w\(index)") { tx in
                                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: number, etag: "\"\(number)\"")
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await db.store.reader.session("ses_1")?.completedParts == 400)
        try db.verify()
    }

    @Test func fixturesAreDeterministicAndCoverEveryStatus() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let a = try TestDatabase()
        let b = try TestDatabase()
        let options = FixtureOptions(groups: 40, filesPerGroup: 6, seed: 42, now: now)
        // Thousands of synchronous writes: on a thread of their own, off the cooperative pool that
        // the other tests' servers need.
        let (report, same) = try await offPool {
            let report = try FixtureGenerator(options: options).write(into: a.store)
            _ = try FixtureGenerator(options: options).write(into: b.store)
            return (report, try a.dump() == b.dump())
        }
        #expect(same)
        #expect(report.groups == 40 && report.sessions == 240)
        #expect(report.parts > 240)
        let totals = try await a.store.reader.totals()
        for status in FileStatus.allCases where status != .uploaded {
            #expect((totals.sessions[status] ?? 0) > 0, "no \(status) session")
        }
        for status in JobStatus.allCases where status != .cancelled {
            #expect((totals.jobs[status] ?? 0) > 0, "no \(status) job")
        }
        #expect(totals.groups.keys.count >= 3)
        let failedParts = try a.store.reader.snapshot {
            try Int.fetchOne($0.grdb, sql: "SELECT count(*) FROM file_parts WHERE status = 'FAILED' AND errorMessage IS NOT NULL")
        }
        #expect((failedParts ?? 0) > 0)
        let other = try TestDatabase()
        let differs = try await offPool {
            _ = try FixtureGenerator(options: FixtureOptions(groups: 40, filesPerGroup: 6, seed: 43, now: now)).write(into: other.store)
            return try other.dump() != a.dump()
        }
        #expect(differs)
        try a.verify()
    }
}
