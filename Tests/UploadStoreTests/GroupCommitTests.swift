import Foundation
import GRDB
import Synchronization
import Testing
import TestSupport
import UploadModel
@testable import UploadStore

/// Concurrent `transaction` calls commit together: one transaction per batch, a savepoint per call.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// Starts a transaction that holds the writer at `gate`, then submits `bodies` (each in its own
    /// task) and opens the gate once all of them wait, so they run as one batch. Returns each
    /// caller's outcome, in submission order.
    static func batch(
        _ store: UploadStore, _ bodies: [@Sendable (StoreTransaction) throws -> Void]
    ) async throws -> [Result<Void, any Error>] {
        let gate = WriteGate()
        let holder = Task { try await store.transaction(actedBy: "gate") { _ in gate.hold() } }
        #expect(await Patience.wait(progress: { 0 }, until: { gate.isHeld }))
        var tasks: [Task<Result<Void, any Error>, Never>] = []
        for (index, body) in bodies.enumerated() {
            tasks.append(Task {
                do {
                    try await store.transaction(actedBy: "w\(index)", body)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            })
            // Submit in order, so the batch runs the bodies in this order.
            #expect(await Patience.wait(progress: { 0 }, until: { store.batcher.waitingCount == index + 1 }))
        }
        gate.open()
        try await holder.value
        var results: [Result<Void, any Error>] = []
        for task in tasks { results.append(await task.value) }
        return results
    }

    static func makeGroup(_ id: String) -> @Sendable (StoreTransaction) throws -> Void {
        { tx in try tx.groups.create(UploadGroup(id: id, userId: "alice", name: id, createdAt: tx.now)) }
    }

    @Test(arguments: StoreKind.allCases) func aFailingBodyRollsBackAloneAndTheOthersCommit(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let seen = EventCollector()
        db.store.onCommit(seen.add)
        let batches = Mutex(0)
        db.store.batcher.beforeCommit.withLock { $0 = { _ in batches.withLock { $0 += 1 } } }
        let results = try await Self.batch(db.store, [
            Self.makeGroup("grp_a"),
            { tx in
                try Self.makeGroup("grp_b")(tx)
                throw Refused()
            },
            Self.makeGroup("grp_c"),
            { tx in try tx.groups.create(UploadGroup(id: "grp_a", userId: "alice", name: "again", createdAt: tx.now)) },
            Self.makeGroup("grp_d"),
        ])
        #expect(batches.withLock { $0 } == 2)  // the gate's, then the five together
        #expect((try? results[0].get()) != nil)
        #expect(throws: Refused.self) { try results[1].get() }
        #expect((try? results[2].get()) != nil)
        #expect(throws: UploadError.self) { try results[3].get() }  // duplicate id: constraint
        #expect((try? results[4].get()) != nil)
        #expect(try await db.store.reader.group("grp_a")?.name == "grp_a")
        #expect(try await db.store.reader.group("grp_b") == nil)
        #expect(try await db.store.reader.group("grp_c") != nil)
        #expect(try await db.store.reader.group("grp_d") != nil)
        let logged = try await db.store.reader.events(after: 0)
        #expect(logged == seen.events)
        #expect(logged.map(\.entityId) == ["grp_a", "grp_c", "grp_d"])
        #expect(logged.map(\.id) == [1, 2, 3])
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func manyWritersSeeEveryEventOnceInIdOrder(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let seen = EventCollector()
        db.store.onCommit(seen.add)
        let store = db.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    for n in 0..<50 {
                        try await store.transaction(actedBy: "w\(writer)") { tx in
                            try tx.groups.create(UploadGroup(id: "grp_\(writer)_\(n)", userId: "u", name: "g", createdAt: tx.now))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let ids = seen.events.map(\.id)
        #expect(ids == Array(1...800))
        #expect(Set(seen.events.map(\.entityId)).count == 800)
        #expect(try await store.reader.events(after: 0, limit: 1000) == seen.events)
        // Fewer announcements than transactions means some committed together (not asserted:
        // with two cores the writers may never overlap).
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func aLoneTransactionCommitsAtOnce(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let batches = Mutex(0)
        db.store.batcher.beforeCommit.withLock { $0 = { _ in batches.withLock { $0 += 1 } } }
        // Nothing else is queued: the writer must not wait for company (no timer, no quorum).
        let group = try await db.store.transaction(actedBy: "alice") { tx in
            try tx.groups.create(UploadGroup(id: "grp_1", userId: "alice", name: "g", createdAt: tx.now))
        }
        #expect(group.id == "grp_1")
        #expect(batches.withLock { $0 } == 1)
        #expect(db.store.batcher.waitingCount == 0)
        // Acknowledged only after the commit: a reader sees it already.
        #expect(try await db.store.reader.group("grp_1") != nil)
        #expect(try await db.store.reader.latestEventId() == 1)
    }

    @Test(arguments: StoreKind.allCases) func aBatchThatCannotCommitLeavesTheDatabaseAsBefore(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 20 * PartPlanner.mebibyte)
        let before = try db.dump()
        let seen = EventCollector()
        db.store.onCommit(seen.add)
        let batches = Mutex(0)
        // The gate's batch commits; the next one fails after its bodies ran, as COMMIT failing
        // (disk full, I/O error) would.
        db.store.batcher.beforeCommit.withLock {
            $0 = { _ in
                let n = batches.withLock { $0 += 1; return $0 }
                if n == 2 { throw DatabaseError(resultCode: .SQLITE_IOERR, message: "injected") }
            }
        }
        let results = try await Self.batch(db.store, [
            Self.makeGroup("grp_x"),
            { tx in try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"a\"") },
            { _ in throw Refused() },
        ])
        #expect(throws: UploadError.self) { try results[0].get() }
        #expect(throws: UploadError.self) { try results[1].get() }
        #expect(throws: Refused.self) { try results[2].get() }  // its own error stays its own
        #expect(seen.events.isEmpty)
        #expect(try db.dump() == before)
        try db.verify()
        // The writer goes on: the next transaction commits with the next id.
        let next = try await db.store.reader.latestEventId() + 1
        try await db.store.transaction(actedBy: "alice") { tx in try Self.makeGroup("grp_y")(tx) }
        #expect(try await db.store.reader.events(after: next - 1).map(\.id) == [next])
        try db.verify()
    }

    /// What a kill in the middle of a batch leaves on disk: the files copied while the batch's
    /// bodies have all run and its transaction is open. Opened again, the copy holds everything
    /// committed before and nothing of the batch, and passes the audit.
    @Test func aKillDuringABatchLosesTheWholeBatchAndNothingElse() async throws {
        let db = try TestDatabase()
        try db.makeSession(size: 20 * PartPlanner.mebibyte)
        let before = try db.dump()
        let crash = db.directory.appendingPathComponent("crash")
        try FileManager.default.createDirectory(at: crash, withIntermediateDirectories: true)
        let source = db.path
        let batches = Mutex(0)
        db.store.batcher.beforeCommit.withLock {
            $0 = { _ in
                let n = batches.withLock { $0 += 1; return $0 }
                guard n == 2 else { return }
                for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
                    try FileManager.default.copyItem(
                        atPath: source + suffix, toPath: crash.appendingPathComponent("upman.db" + suffix).path)
                }
            }
        }
        let results = try await Self.batch(db.store, [
            Self.makeGroup("grp_x"),
            { tx in try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"a\"") },
            { tx in try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 2, etag: "\"b\"") },
        ])
        for result in results { #expect((try? result.get()) != nil) }
        #expect(try await db.store.reader.session("ses_1")?.completedParts == 2)
        let reopened = try UploadStore(path: crash.appendingPathComponent("upman.db").path)
        #expect(try TestDatabase.dump(reopened) == before)
        #expect(try reopened.integrityCheck() == "ok")
        #expect(try await reopened.reader.audit() == [])
        try db.verify()
    }
}
