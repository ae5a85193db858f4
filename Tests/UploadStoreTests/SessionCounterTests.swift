import Foundation
import Testing
import UploadModel
@testable import UploadStore

/// A session's completedParts and bytesUploaded move by deltas as its parts change; the full
/// recount (the audit) always agrees.
@Suite struct SessionCounterTests {
    let mib = PartPlanner.mebibyte

    @Test func deltasFollowTheLifecycle() {
        #expect(SessionDelta.move(size: 7, from: .pending, to: .uploaded)
                == SessionDelta(completedParts: 1, bytesUploaded: 7, startedParts: 1))
        #expect(SessionDelta.move(size: 7, from: .uploaded, to: .pending)
                == SessionDelta(completedParts: -1, bytesUploaded: -7, startedParts: -1))
        #expect(SessionDelta.move(size: 7, from: .uploading, to: .failed) == .zero)
        #expect(SessionDelta.move(size: 7, from: .uploaded, to: .uploaded) == .zero)
        var sum = SessionDelta.move(size: 7, from: .pending, to: .uploading)
        sum += SessionDelta.move(size: 7, from: .uploading, to: .pending)
        #expect(sum == .zero)
    }

    @Test(arguments: StoreKind.allCases) func countersAfterRandomPartChangesEqualAFullRecount(_ kind: StoreKind) async throws {
        let db = try await TestDatabase.make(kind)
        let size = 37 * 5 * mib + 123
        try db.makeSession(size: size, partSize: 5 * mib)
        let totalParts = try #require(try await db.store.reader.session("ses_1")).totalParts
        var random = SeededRandom(seed: 20261130)
        for round in 0..<60 {
            // Several changes per transaction, some parts more than once; every third round
            // through the batching path.
            var moves: [(Int, PartStatus)] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                moves.append((Int.random(in: 1...totalParts, using: &random), PartStatus.allCases.randomElement(using: &random)!))
            }
            let plan = moves
            let body: @Sendable (StoreTransaction) throws -> Void = { tx in
                for (number, status) in plan {
                    let part = try tx.parts.get(sessionId: "ses_1", partNumber: number)
                    guard UploadLifecycle.canMove(from: part.status, to: status) else { continue }
                    if status == .uploaded {
                        try tx.parts.markUploaded(sessionId: "ses_1", partNumber: number, etag: "\"\(number)\"")
                    } else {
                        try tx.parts.transition(sessionId: "ses_1", partNumber: number, to: status)
                    }
                }
            }
            if round % 3 == 0 {
                try await db.store.transaction(actedBy: "alice", body)
            } else {
                try db.store.write(actedBy: "alice", body)
            }
            #expect(try await db.store.reader.audit() == [], "round \(round)")
        }
        // The repair recount finds nothing to change: no new event.
        let before = try await db.store.reader.latestEventId()
        try db.store.write(actedBy: "audit") { tx in try tx.sessions.recount("ses_1") }
        #expect(try await db.store.reader.latestEventId() == before)
        try db.verify()
    }

    /// The statements one part change runs, on a session of `parts` parts, after a first part
    /// has already moved it to UPLOADING.
    func statementsForOnePart(sessionOf parts: Int) throws -> (statements: [String], pages: Int32) {
        let db = try TestDatabase()
        try db.makeSession(size: Int64(parts) * 5 * mib, partSize: 5 * mib)
        try db.store.write(actedBy: "alice") { tx in
            try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 1, etag: "\"1\"")
        }
        let counter = StatementCounter()
        try db.store.write(actedBy: "alice") { tx in
            try counter.record(tx.grdb) {
                try tx.parts.markUploaded(sessionId: "ses_1", partNumber: 2, etag: "\"2\"")
                try tx.flush()
            }
        }
        let session = try #require(try db.store.reader.snapshot { try $0.session("ses_1") })
        #expect(session.completedParts == 2 && session.bytesUploaded == 10 * mib)
        try db.verify()
        return (counter.statements, counter.pages)
    }

    @Test func aPartOfAHugeSessionCostsWhatAPartOfASmallOneDoes() async throws {
        let small = try statementsForOnePart(sessionOf: 10)
        let huge = try statementsForOnePart(sessionOf: 10_000)
        #expect(huge.statements == small.statements)
        // No statement reads the session's parts: only the changed part, by its key.
        #expect(!huge.statements.contains { $0.contains("FROM file_parts WHERE sessionId") })
        #expect(huge.statements.count < 20)
        // Pages read: a scan of 10,000 part rows would touch hundreds; key lookups touch a few
        // more only as the b-trees grow a level.
        #expect(huge.pages <= small.pages * 2, "\(small.pages) pages for 10 parts, \(huge.pages) for 10,000")
    }
}
