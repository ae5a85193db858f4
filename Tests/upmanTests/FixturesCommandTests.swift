import Foundation
import GRDB
import Testing
import UploadModel
import UploadStore

/// `upman fixtures` and `upman check`, run as a user would.
@Suite struct FixturesCommandTests {
    @Test func writesADatabaseThatChecksOk() async throws {
        let folder = try TemporaryFolder()
        let db = folder.path("fx.db")
        let made = try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "30", "--files-per-group", "4", "--seed", "9"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("wrote 30 groups, 120 files, "))
        let check = try await UpmanBinary.run(["check", "--db", db, "--json"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        #expect(result?["ok"] as? Bool == true)
        #expect(result?["integrity"] as? String == "ok")
        #expect(result?["groups"] as? Int == 30)
    }

    @Test func sameSeedAndTimeSameDatabase() async throws {
        let folder = try TemporaryFolder()
        for name in ["a.db", "b.db"] {
            let run = try await UpmanBinary.run(["fixtures", "--out", folder.path(name), "--groups", "12", "--seed", "5", "--now", "2026-11-01T00:00:00Z"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let a = try UploadReader.open(path: folder.path("a.db"))
        let b = try UploadReader.open(path: folder.path("b.db"))
        #expect(try await a.groups(GroupQuery(limit: 1000)) == b.groups(GroupQuery(limit: 1000)))
        #expect(try await a.events(after: 0, limit: 100_000) == b.events(after: 0, limit: 100_000))
    }

    @Test func refusesToOverwriteWithoutForce() async throws {
        let folder = try TemporaryFolder()
        let db = folder.path("fx.db")
        #expect(try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "2"]).status == 0)
        let again = try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "2"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("--force"))
        #expect(try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "3", "--force"]).status == 0)
        #expect(try await UploadReader.open(path: db).groupCount() == 3)
    }

    @Test func badArgumentsAreOneClearLine() async throws {
        let negative = try await UpmanBinary.run(["fixtures", "--out", "/tmp/x.db", "--groups", "-1"])
        #expect(negative.status != 0)
        #expect(negative.stderr.contains("--groups"))
        let badTime = try await UpmanBinary.run(["fixtures", "--out", "/tmp/x.db", "--groups", "1", "--now", "soon"])
        #expect(badTime.status != 0)
        #expect(badTime.stderr.contains("ISO-8601"))
        let missing = try await UpmanBinary.run(["check", "--db", "/nonexistent/upman.db"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no database"))
        #expect(!missing.stderr.contains("Fatal"))
    }

    @Test func checkFindsABrokenCounter() async throws {
        let folder = try TemporaryFolder()
        let db = folder.path("fx.db")
        #expect(try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "3"]).status == 0)
        #expect(try await UpmanBinary.run(["check", "--db", db]).status == 0)
        // A buggy writer bumps a counter behind the store's back.
        let queue = try DatabaseQueue(path: db)
        try await queue.write { try $0.execute(sql: "UPDATE upload_groups SET completedFiles = completedFiles + 1 WHERE rowid = 1") }
        let check = try await UpmanBinary.run(["check", "--db", db])
        #expect(check.status == 1)
        #expect(check.stdout.contains("problem: group"))
    }
}
