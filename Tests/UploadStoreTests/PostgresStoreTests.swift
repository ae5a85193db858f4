import Foundation
import Synchronization
import Testing
import UploadModel
@testable import UploadStore

/// The PostgreSQL engine: the same store as SQLite's, shared by several instances with one log.
@Suite struct PostgresStoreTests {
    /// Two processes' stores over one database write at once: every event id from 1 to the last
    /// is there once, each instance heard its own commits in increasing id order, and the
    /// counters hold.
    @Test func twoInstancesShareOneGaplessLogInCommitOrder() async throws {
        let db = try await TestDatabase.make(.postgres)
        let other = try db.reopen()
        let heard = [HeardIds(), HeardIds()]
        for (index, store) in [db.store, other].enumerated() {
            let ears = heard[index]
            store.onCommit { events in ears.add(events.map(\.id)) }
        }
        try db.makeSession(size: 64 * PartPlanner.mebibyte, partSize: 5 * PartPlanner.mebibyte)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let store = index % 2 == 0 ? db.store : other
                group.addTask {
                    try await store.transaction(actedBy: "alice") { tx in
                        if index < 13 {
                            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: index + 1, etag: "\"\(index)\"")
                        } else {
                            try tx.groups.create(UploadGroup(id: "grp_x\(index)", userId: "bob", name: "n\(index)", createdAt: tx.now))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let events = try await other.reader.events(after: 0, limit: 10_000)
        #expect(events.map(\.id) == Array(1...Int64(events.count)))
        for ears in heard {
            #expect(ears.ids == ears.ids.sorted() && !ears.ids.isEmpty)
        }
        #expect(Set(heard[0].ids).isDisjoint(with: heard[1].ids))
        let session = try #require(try await other.reader.session("ses_1"))
        #expect(session.completedParts == 13 && session.status == .uploading)
        try db.verify()
    }

    /// The same fixtures written into SQLite and into PostgreSQL read back equal, page by page and
    /// in every order, with equal totals and history.
    @Test func fixturesReadBackTheSameOnBothEngines() async throws {
        let options = FixtureOptions(groups: 30, filesPerGroup: 6, seed: 7, now: Date(timeIntervalSince1970: 1_800_000_000))
        let sqlite = try await TestDatabase.make(.sqlite)
        let postgres = try await TestDatabase.make(.postgres)
        let reports = try [sqlite, postgres].map { try FixtureGenerator(options: options).write(into: $0.store) }
        #expect(reports[0] == reports[1])
        for sort in GroupSort.allCases {
            for descending in [false, true] {
                let query = GroupQuery(sort: sort, descending: descending, limit: 1000)
                #expect(try await sqlite.store.reader.groups(query) == postgres.store.reader.groups(query), "\(sort) \(descending)")
            }
        }
        #expect(try await sqlite.store.reader.groups(GroupQuery(search: "BACK")) == postgres.store.reader.groups(GroupQuery(search: "BACK")))
        let groups = try await sqlite.store.reader.groups(GroupQuery(limit: 1000))
        for group in groups {
            for sort in SessionSort.allCases {
                let query = SessionQuery(groupId: group.id, sort: sort, limit: 1000)
                #expect(try await sqlite.store.reader.sessions(query) == postgres.store.reader.sessions(query))
            }
        }
        let sessions = try await sqlite.store.reader.sessions(SessionQuery(groupId: try #require(groups.first).id))
        for session in sessions {
            #expect(try await sqlite.store.reader.parts(sessionId: session.id) == postgres.store.reader.parts(sessionId: session.id))
            #expect(try await sqlite.store.reader.jobs(sessionId: session.id) == postgres.store.reader.jobs(sessionId: session.id))
        }
        #expect(try await sqlite.store.reader.totals() == postgres.store.reader.totals())
        #expect(try await sqlite.store.reader.events(after: 0, limit: 100_000) == postgres.store.reader.events(after: 0, limit: 100_000))
        let stalled = options.now.addingTimeInterval(-3600)
        let problems = try [sqlite, postgres].map { db in
            try db.store.reader.snapshot { (try $0.problemSessionCount(stalledBefore: stalled), try $0.groupSums(), try $0.failedJobCount()) }
        }
        #expect(problems[0] == problems[1])
        try sqlite.verify()
        try postgres.verify()
    }

    /// Opening a migrated database again runs no migration; a second instance starting at the
    /// same time waits for the first's instead of failing.
    @Test func migrationsRunOnceAcrossInstances() async throws {
        let db = try await TestDatabase.make(.postgres)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try db.reopen() } }
            try await group.waitForAll()
        }
        let applied: Int = try db.store.reader.snapshot { try $0.db.scalar("SELECT count(*) FROM upman_migrations") } ?? 0
        #expect(applied == PostgresSchema.migrations.count)
    }

    /// A body that breaks a constraint rolls back alone in a batch; the rest commit.
    @Test func aConstraintBreachRollsBackItsBodyAlone() async throws {
        let db = try await TestDatabase.make(.postgres)
        try db.makeSession(size: 10)
        let store = db.store
        let duplicate = Task {
            try await store.transaction(actedBy: "alice") { tx in
                _ = try tx.groups.create(UploadGroup(id: "grp_1", userId: "alice", name: "again", createdAt: tx.now))
            }
        }
        let fresh = Task {
            try await store.transaction(actedBy: "alice") { tx in
                _ = try tx.groups.create(UploadGroup(id: "grp_2", userId: "alice", name: "new", createdAt: tx.now))
            }
        }
        await #expect(throws: UploadError.self) { try await duplicate.value }
        try await fresh.value
        #expect(try await db.store.reader.group("grp_2") != nil)
        try db.verify()
    }

    /// A tus upload is held by one request across instances: a second one is refused while the
    /// hold lasts, may ask for it, the holder sees the ask when it renews, and after release (or
    /// once the hold ran out) the other takes it.
    @Test func aTusUploadIsHeldByOneRequestAcrossInstances() async throws {
        let db = try await TestDatabase.make(.postgres)
        let other = try db.reopen()
        try db.makeSession(size: 10)
        try db.store.write(actedBy: "alice") { tx in try tx.tus.insert(TusUpload(sessionId: "ses_1", metadata: nil, lengthDeferred: false, concat: nil)) }
        let later = Date().addingTimeInterval(10)
        #expect(try db.store.write(actedBy: "a") { try $0.tus.hold("ses_1", holder: "hold_a", until: later) })
        #expect(try !other.write(actedBy: "b") { try $0.tus.hold("ses_1", holder: "hold_b", until: later) })
        #expect(try db.store.write(actedBy: "a") { try $0.tus.renew("ses_1", holder: "hold_a", until: later) } == false)
        try other.write(actedBy: "b") { try $0.tus.ask("ses_1", by: "hold_b") }
        #expect(try db.store.write(actedBy: "a") { try $0.tus.renew("ses_1", holder: "hold_a", until: later) } == true)
        try db.store.write(actedBy: "a") { try $0.tus.release("ses_1", holder: "hold_a") }
        #expect(try other.write(actedBy: "b") { try $0.tus.hold("ses_1", holder: "hold_b", until: Date().addingTimeInterval(-1)) })
        #expect(try db.store.write(actedBy: "a") { try $0.tus.renew("ses_1", holder: "hold_a", until: later) } == nil)
        // hold_b's hold has run out: another request takes the upload without waiting for it.
        #expect(try db.store.write(actedBy: "c") { try $0.tus.hold("ses_1", holder: "hold_c", until: later) })
        try db.verify()
    }

    @Test func databaseURLs() {
        let url = DatabaseURL("postgres://upman:s%40cret@db.example:6543/uploads?sslmode=require")
        #expect(url?.host == "db.example" && url?.port == 6543 && url?.user == "upman" && url?.password == "s@cret")
        #expect(url?.database == "uploads" && url?.requireTLS == true)
        #expect(url?.redacted == "postgres://upman:***@db.example:6543/uploads")
        #expect(DatabaseURL("postgresql://127.0.0.1/x")?.port == 5432)
        #expect(DatabaseURL("upman-data/upman.db") == nil)
        #expect(DatabaseURL("postgres://") == nil)
    }
}

/// Event ids one store heard, in order.
final class HeardIds: Sendable {
    private let heard = Mutex<[Int64]>([])

    func add(_ ids: [Int64]) {
        heard.withLock { $0 += ids }
    }

    var ids: [Int64] { heard.withLock { $0 } }
}
