import Foundation
import Testing
import UploadModel
@testable import UploadStore

/// Every change is one transaction with its events; illegal ones change nothing.
@Suite struct TransactionTests {
    let mib = PartPlanner.mebibyte

    @Test(arguments: StoreKind.allCases) func illegalTransitionLeavesTheDatabaseUnchanged(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 20 * mib)
        let before = try db.dump()
        do {
            try db.store.write(actedBy: "alice") { tx in
                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"a\"")
                try tx.sessions.transition("ses_1", to: .completed)
            }
            Issue.record("UPLOADING -> COMPLETED was accepted")
        } catch let error as UploadError {
            #expect(error.code == .invalidTransition)
        }
        #expect(try db.dump() == before)
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func everyChangeHasExactlyOneEventWithIncreasingIds(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let seen = EventCollector()
        db.store.onCommit(seen.add)
        try db.makeSession(size: 20 * mib)
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 2, etag: "\"b\"")
        }
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"a\"")
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 3, etag: "\"c\"")
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 3, etag: "\"c\"")
        }
        try db.store.write(actedBy: "alice") { tx in
            try tx.sessions.transition("ses_1", to: .uploaded)
        }
        let logged = try await db.store.reader.events(after: 0)
        #expect(logged == seen.events)
        #expect(logged.map(\.id) == Array(1...Int64(logged.count)))
        let kinds = logged.map(\.kind.rawValue)
        #expect(kinds == [
            "group", "session", "group",          // create group, create session, group counts it
            "part", "session", "group",           // part 2: session UPLOADING, group IN_PROGRESS
            "part", "part", "session", "group",   // parts 1 and 3 (the repeat is a no-op): counters
            "session",                            // UPLOADED: the group's status and counters stay
        ])
        #expect(kinds.filter { $0 == "part" }.count == 3)
        // The newest event of each entity carries its stored state.
        let session = try #require(try await db.store.reader.session("ses_1"))
        let lastSession = try #require(logged.last { $0.kind == .session })
        #expect(try lastSession.change() == .session(session))
        #expect(session.status == .uploaded && session.completedParts == 3 && session.bytesUploaded == 20 * mib)
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func concurrentWritersAnnounceInCommitOrder(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let seen = EventCollector()
        db.store.onCommit(seen.add)
        let store = db.store
        // Many writers at once, from threads and from tasks: observers must see ids in commit
        // order, or the live feed (which never goes back) loses the batch announced late.
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<6 {
                group.addTask {
                    for n in 0..<40 {
                        _ = try? await store.transaction(actedBy: "w\(writer)") { tx in
                            try tx.groups.create(UploadGroup(id: "grp_\(writer)_\(n)", userId: "u", name: "g", createdAt: tx.now))
                        }
                    }
                }
            }
            for writer in 6..<8 {
                group.addTask {
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        Thread {
                            for n in 0..<40 {
                                _ = try? store.write(actedBy: "w\(writer)") { tx in
                                    try tx.groups.create(UploadGroup(id: "grp_\(writer)_\(n)", userId: "u", name: "g", createdAt: tx.now))
                                }
                            }
                            done.resume()
                        }.start()
                    }
                }
            }
        }
        let ids = seen.events.map(\.id)
        #expect(ids.count == 320)
        #expect(ids == ids.sorted())
        #expect(ids == Array(1...Int64(ids.count)))
    }

    @Test(arguments: StoreKind.allCases) func aBurstIsOneTransactionWithPerChangeEvents(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 5 * mib * 1000, partSize: 5 * mib)
        let before = try await db.store.reader.latestEventId()
        let batches = EventCollector()
        db.store.onCommit(batches.add)
        try db.store.write(actedBy: "alice") { tx in
            for number in 1...1000 {
                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: number, etag: "\"\(number)\"")
            }
        }
        #expect(batches.batches == 1)
        let events = try await db.store.reader.events(after: before, limit: 5000)
        #expect(events.filter { $0.kind == .part }.count == 1000)
        #expect(events.filter { $0.kind == .session }.count == 1)
        let session = try #require(try await db.store.reader.session("ses_1"))
        #expect(session.completedParts == 1000 && session.status == .uploading)
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func aFailedBurstRollsBackWhole(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 20 * mib)
        let before = try db.dump()
        #expect(throws: UploadError.self) {
            try db.store.write(actedBy: "alice") { tx in
                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"a\"")
                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 99, etag: "\"z\"")
            }
        }
        #expect(try db.dump() == before)
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func groupFollowsItsSessions(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 10, sessionId: "ses_a")
        try db.makeSession(size: 10, sessionId: "ses_b")
        var group = try #require(try await db.store.reader.group("grp_1"))
        #expect(group.status == .pending && group.totalFiles == 2 && group.totalBytes == 20)
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_a", partNumber: 1, etag: "e")
            try tx.sessions.transition("ses_a", to: .uploaded)
            try tx.sessions.transition("ses_a", to: .completed)
        }
        group = try #require(try await db.store.reader.group("grp_1"))
        #expect(group.status == .inProgress && group.completedFiles == 1 && group.bytesUploaded == 10)
        try db.store.write(actedBy: "alice") { tx in
            try tx.sessions.transition("ses_b", to: .failed, error: ErrorDetail(code: "x", message: "boom"))
        }
        group = try #require(try await db.store.reader.group("grp_1"))
        #expect(group.status == .failed && group.failedFiles == 1)
        try db.store.write(actedBy: "support") { tx in
            try tx.sessions.transition("ses_b", to: .pending)
        }
        group = try #require(try await db.store.reader.group("grp_1"))
        #expect(group.status == .inProgress && group.actedBy == "support")
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func cancellingAGroupCancelsWhatIsOpen(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 10, sessionId: "ses_a")
        try db.makeSession(size: 20 * mib, sessionId: "ses_b")
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_a", partNumber: 1, etag: "e")
            try tx.sessions.transition("ses_a", to: .uploaded)
            try tx.sessions.transition("ses_a", to: .processing)
            try tx.jobs.enqueue(ProcessingJob(id: "job_1", sessionId: "ses_a", groupId: "grp_1", kind: "sha256", createdAt: tx.now))
        }
        try db.store.write(actedBy: "admin") { tx in
            try tx.groups.cancel("grp_1", reason: ErrorDetail(code: "cancelledByOperator", message: "stuck"))
        }
        let reader = db.store.reader
        #expect(try await reader.group("grp_1")?.status == .cancelled)
        #expect(try await reader.session("ses_a")?.status == .cancelled)
        #expect(try await reader.session("ses_b")?.status == .cancelled)
        #expect(try await reader.jobs(sessionId: "ses_a").map(\.status) == [.cancelled])
        #expect(try await reader.group("grp_1")?.actedBy == "admin")
        #expect(throws: UploadError.self) {
            try db.store.write(actedBy: "admin") { tx in try tx.groups.cancel("grp_1") }
        }
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func deletingRemovesRowsAndSaysSo(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 20 * mib, sessionId: "ses_a")
        try db.makeSession(size: 10, sessionId: "ses_b")
        try db.store.write(actedBy: "admin") { tx in try tx.sessions.delete("ses_a") }
        #expect(try await db.store.reader.session("ses_a") == nil)
        #expect(try await db.store.reader.parts(sessionId: "ses_a").isEmpty)
        var group = try #require(try await db.store.reader.group("grp_1"))
        #expect(group.totalFiles == 1 && group.totalBytes == 10)
        let last = try await db.store.reader.events(after: 0).filter(\.deleted)
        #expect(last.map(\.entityId) == ["ses_a"])
        try db.store.write(actedBy: "admin") { tx in try tx.groups.delete("grp_1") }
        group = UploadGroup(id: "x", userId: "x", name: "x", createdAt: Date())
        #expect(try await db.store.reader.group("grp_1") == nil)
        #expect(try await db.store.reader.session("ses_b") == nil)
        let gone = try await db.store.reader.events(after: 0).filter(\.deleted)
        #expect(gone.map(\.kind) == [.session, .group])
        #expect(try gone.last?.change() == .deleted(DeletedEntity(kind: .group, id: "grp_1", groupId: "grp_1", actedBy: "admin")))
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func partsRetryAndCountAttempts(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        try db.makeSession(size: 20 * mib)
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.transition(sessionId: "ses_1", partNumber: 1, to: .uploading)
            try tx.parts.transition(sessionId: "ses_1", partNumber: 1, to: .failed,
                                    error: ErrorDetail(code: "networkError", message: "reset"))
        }
        var part = try #require(try await db.store.reader.parts(sessionId: "ses_1").first)
        #expect(part.status == .failed && part.attempts == 1 && part.error?.code == "networkError")
        try db.store.write(actedBy: "support") { tx in
            try tx.parts.transition(sessionId: "ses_1", partNumber: 1, to: .pending)
        }
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"e1\"")
        }
        part = try #require(try await db.store.reader.parts(sessionId: "ses_1").first)
        #expect(part.status == .uploaded && part.attempts == 2 && part.error == nil && part.etag == "\"e1\"")
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"e2\"")
        }
        part = try #require(try await db.store.reader.parts(sessionId: "ses_1").first)
        #expect(part.etag == "\"e2\"" && part.attempts == 3)
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func newEntitiesMustStartAtTheStart(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        #expect(throws: UploadError.self) {
            try db.store.write(actedBy: "a") { tx in
                try tx.groups.create(UploadGroup(id: "g", userId: "a", name: "n", status: .completed, createdAt: tx.now))
            }
        }
        #expect(throws: UploadError.self) {
            try db.store.write(actedBy: "a") { tx in
                try tx.sessions.create(UploadSession(id: "s", groupId: "missing", userId: "a", fileName: "f", size: 1,
                    objectKey: "k", method: .single, partSize: 1, totalParts: 1, createdAt: tx.now))
            }
        }
        try db.makeSession(size: 10)
        do {
            try db.store.write(actedBy: "a") { tx in
                try tx.sessions.create(UploadSession(id: "s2", groupId: "grp_1", userId: "a", fileName: "f", size: 100,
                    objectKey: "k2", method: .multipart, partSize: 10, totalParts: 3, createdAt: tx.now))
            }
            Issue.record("a plan that does not cover the file was accepted")
        } catch let error as UploadError {
            #expect(error.code == .invalidArgument)
        }
        do {
            try db.makeSession(size: 10, sessionId: "ses_1")
            Issue.record("a duplicate id was accepted")
        } catch let error as UploadError {
            #expect(error.code == .conflict)
        }
        try db.verify()
    }
}
