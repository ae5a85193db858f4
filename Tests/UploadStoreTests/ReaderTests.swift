import Foundation
import Testing
import UploadModel
@testable import UploadStore

/// The paged, sorted and filtered queries a dashboard asks, and change detection.
@Suite struct ReaderTests {
    func seeded(_ kind: StoreKind = .sqlite) async throws -> TestDatabase {
        let db = try await TestDatabase.make(kind)
        let names = ["beta", "Alpha", "gamma", "delta"]
        for (index, name) in names.enumerated() {
            try db.store.write(actedBy: "t", at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index))) { tx in
                let user = index % 2 == 0 ? "alice" : "bob"
                try tx.groups.create(UploadGroup(id: "grp_\(index)", userId: user, name: name, createdAt: tx.now))
                for file in 0...index {
                    let id = "ses_\(index)_\(file)"
                    try tx.sessions.create(UploadSession(
                        id: id, groupId: "grp_\(index)", userId: user, fileName: "file-\(file).txt",
                        size: Int64(100 * (file + 1)), objectKey: id, method: .single,
                        partSize: Int64(100 * (file + 1)), totalParts: 1, createdAt: tx.now))
                }
                if index == 1 {
                    try tx.sessions.transition("ses_1_0", to: .failed, error: ErrorDetail(code: "x", message: "y"))
                    try tx.sessions.transition("ses_1_1", to: .cancelled)
                }
            }
        }
        return db
    }

    @Test(arguments: StoreKind.allCases) func groupsPageSortAndFilter(_ kind: StoreKind) async throws {
        let db = try await seeded(kind)
        let reader = db.store.reader
        #expect(try await reader.groups().map(\.id) == ["grp_3", "grp_2", "grp_1", "grp_0"])
        #expect(try await reader.groups(GroupQuery(sort: .name, descending: false)).map(\.name) == ["Alpha", "beta", "delta", "gamma"])
        #expect(try await reader.groups(GroupQuery(sort: .size, descending: true, limit: 2)).map(\.id) == ["grp_3", "grp_2"])
        #expect(try await reader.groups(GroupQuery(sort: .size, descending: true, offset: 2, limit: 2)).map(\.id) == ["grp_1", "grp_0"])
        #expect(try await reader.groups(GroupQuery(statuses: [.failed])).map(\.id) == ["grp_1"])
        #expect(try await reader.groups(GroupQuery(userId: "alice")).map(\.id) == ["grp_2", "grp_0"])
        #expect(try await reader.groups(GroupQuery(search: "ALP")).map(\.id) == ["grp_1"])
        #expect(try await reader.groups(GroupQuery(search: "grp_2")).map(\.id) == ["grp_2"])
        #expect(try await reader.groupCount(GroupQuery(statuses: [.pending])) == 3)
        #expect(try await reader.groups(GroupQuery(sort: .errors, descending: true, limit: 1)).map(\.id) == ["grp_1"])
        try db.verify()
    }

    @Test(arguments: StoreKind.allCases) func sessionsOfAGroup(_ kind: StoreKind) async throws {
        let db = try await seeded(kind)
        let reader = db.store.reader
        #expect(try await reader.sessions(SessionQuery(groupId: "grp_3")).count == 4)
        #expect(try await reader.sessions(SessionQuery(groupId: "grp_3", sort: .size, descending: true, limit: 1)).map(\.id) == ["ses_3_3"])
        #expect(try await reader.sessions(SessionQuery(groupId: "grp_1", statuses: [.failed])).map(\.id) == ["ses_1_0"])
        #expect(try await reader.sessions(SessionQuery(groupId: "grp_3", search: "FILE-2")).map(\.id) == ["ses_3_2"])
        #expect(try await reader.parts(sessionId: "ses_3_3").map(\.partNumber) == [1])
    }

    @Test(arguments: StoreKind.allCases) func totalsAndChangeDetection(_ kind: StoreKind) async throws {
        let db = try await seeded(kind)
        let reader = db.store.reader
        let totals = try await reader.totals()
        #expect(totals.groups[.pending] == 3 && totals.groups[.failed] == 1)
        #expect(totals.sessions.values.reduce(0, +) == 10)
        #expect(totals.sessions[.cancelled] == 1)
        let latest = try await reader.latestEventId()
        #expect(totals.latestEventId == latest)
        #expect(try await !reader.hasChanges(since: latest))
        try db.store.write(actedBy: "t") { tx in
            try tx.groups.update("grp_0") { $0.description = "hello" }
        }
        #expect(try await reader.hasChanges(since: latest))
        #expect(try await reader.events(after: latest).map(\.entityId) == ["grp_0"])
        #expect(try await reader.events(after: 0, groupId: "grp_2").allSatisfy { $0.groupId == "grp_2" })
        #expect(try await reader.events(after: 0, userId: "bob").allSatisfy { $0.userId == "bob" })
        #expect(try await !reader.events(after: 0, userId: "bob").isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func pruningKeepsIdsIncreasing(_ kind: StoreKind) async throws {
        let db = try await seeded(kind)
        let latest = try await db.store.reader.latestEventId()
        let removed = try db.store.write(actedBy: "t") { tx in try tx.eventLog.prune(keepingLast: 5) }
        #expect(removed == Int(latest) - 5)
        #expect(try await db.store.reader.oldestEventId() == latest - 4)
        try db.store.write(actedBy: "t") { tx in try tx.groups.update("grp_0") { $0.description = "x" } }
        #expect(try await db.store.reader.latestEventId() == latest + 1)
        try db.verify()
    }

    @Test func readOnlyOpenSeesTheSameAndCannotWrite() async throws {
        let db = try await seeded()
        let other = try UploadReader.open(path: db.path)
        #expect(try await other.groups().map(\.id) == db.store.reader.groups().map(\.id))
        do {
            try other.snapshot { snapshot in try snapshot.grdb.execute(sql: "DELETE FROM events") }
            Issue.record("a read-only reader wrote")
        } catch {}
        #expect(throws: UploadError.self) { _ = try UploadReader.open(path: db.path + ".missing") }
    }
}
