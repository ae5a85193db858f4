import Foundation
import Testing
import TestSupport
import UploadModel
@testable import UploadServer

/// The tus endpoint on the embedded disk store: the storage scenarios (``TusScenarios``), and the
/// rules it shares with the controller: user scoping, upload links and events tokens, groups named
/// in metadata, an operator's cancel, termination.
@Suite struct TusEndpointTests {
    /// Runs `body` on a fresh server with 5 MiB parts and removes it after.
    func withServer(_ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer.start(TusScenarios.smallParts)
        do {
            try await body(server)
        } catch {
            await server.finish()
            throw error
        }
        await server.finish()
    }

    @Test func patchesAcrossParts() async throws {
        try await withServer { try await TusScenarios.patchesAcrossParts($0) }
    }

    @Test func unfinishedPartSurvivesARestart() async throws {
        try await withServer { server in
            var restarted: TestServer?
            try await TusScenarios.unfinishedPartSurvivesARestart(server) { old in
                await old.stop()
                let again = try await TestServer.start(folder: old.folder, TusScenarios.smallParts)
                restarted = again
                return again
            }
            await restarted?.stop()
        }
    }

    @Test func aBrokenPatchKeepsWhatArrived() async throws {
        try await withServer { try await TusScenarios.aBrokenPatchKeepsWhatArrived($0) }
    }

    @Test func aWrongChecksumKeepsNothing() async throws {
        try await withServer { try await TusScenarios.aWrongChecksumKeepsNothing($0) }
    }

    @Test func aDeferredLength() async throws {
        try await withServer { try await TusScenarios.aDeferredLength($0) }
    }

    @Test func aDeferredLengthDeclaredWithNoBytes() async throws {
        try await withServer { try await TusScenarios.aDeferredLengthDeclaredWithNoBytes($0) }
    }

    @Test func numbersAreDigitsOnlyAndABodyFitsItsLength() async throws {
        try await withServer { server in
            let tus = TusTestClient(server)
            for length in ["+5", "-0", "0x5", "5.0", "99999999999999999999"] {
                let reply = try await server.send(.POST, "/files/", headers: tus.headers + [("Upload-Length", length)])
                #expect(reply.status == 400, "Upload-Length \(length.debugDescription): \(reply.status)")
            }
            let (_, id) = try await tus.create(length: 3)
            let upload = try #require(id)
            for offset in ["+0", "-0", "00x"] {
                let reply = try await server.send(
                    .PATCH, "/files/\(upload)",
                    headers: tus.headers + [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", offset)], body: Data("a".utf8))
                #expect(reply.status == 400, "Upload-Offset \(offset.debugDescription): \(reply.status)")
            }
            let (tooLong, tooLongId) = try await tus.create(length: 3, body: Data("hello".utf8))
            #expect(tooLong.status == 413)
            #expect(tooLongId == nil)
            let wrongMethod = try await server.send(.GET, "/files/\(upload)", headers: tus.headers)
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers.first(name: "Tus-Resumable") == "1.0.0")
        }
    }

    /// A PATCH whose connection stalls (headers and 5,000 of 2 MiB sent, then silence, the
    /// socket left open) does not hold the upload: the client's next PATCH stops it at once, what
    /// arrived is kept, and the upload resumes from there.
    @Test func aStalledPatchIsTakenOverByTheNextOne() async throws {
        try await withServer { server in
            let tus = TusTestClient(server)
            let bytes = randomBytes(2 << 20, seed: 87)
            let (_, id) = try await tus.create(length: Int64(bytes.count), metadata: ["filename": "stalled.bin"])
            let upload = try #require(id)
            let head = "PATCH /files/\(upload) HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                + "Authorization: Bearer \(server.adminToken)\r\nContent-Type: application/offset+octet-stream\r\n"
                + "Upload-Offset: 0\r\nContent-Length: \(bytes.count)\r\n\r\n"
            let stalled = try StalledConnection(port: server.port, sending: Data(head.utf8) + bytes.prefix(5000))
            defer { stalled.close() }
            // The stalled request has taken the upload once its part shows UPLOADING.
            try await server.waitFor("the stalled PATCH to begin") {
                try await server.store.reader.parts(sessionId: upload).first?.status == .uploading
            }
            let started = ContinuousClock.now
            let next = try await tus.patch(upload, offset: 0, bytes)
            #expect(next.status == 409, "the next PATCH finds the offset the stalled one kept: \(next.status) \(next.text)")
            #expect(ContinuousClock.now - started < .seconds(30))
            let kept = try #require(try await tus.offset(upload))
            #expect(kept == 5000)
            #expect(try await tus.patch(upload, offset: kept, bytes.suffix(from: Int(kept))).status == 204)
            try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
            #expect(try await TusScenarios.object(server, upload) == bytes)
        }
    }

    @Test func anotherUsersUploadIsNotFoundAndTokensKeepTheirScope() async throws {
        try await withServer { server in
            let alice = TusTestClient(server, token: try server.userToken("alice"))
            let bob = TusTestClient(server, token: try server.userToken("bob"))
            let (_, id) = try await alice.create(length: 4, metadata: ["filename": "mine.txt"])
            let upload = try #require(id)
            #expect(try await bob.head(upload).status == 404)
            #expect(try await bob.patch(upload, offset: 0, Data("abcd".utf8)).status == 404)
            #expect(try await server.send(.DELETE, "/files/\(upload)", headers: bob.headers).status == 404)
            #expect(try await TusTestClient(server).head(upload).status == 200, "an admin sees every user's uploads")
            let events = try await server.ok("eventsToken", [:], token: alice.token)["token"] as! String
            let (refused, _) = try await TusTestClient(server, token: events).create(length: 1)
            #expect(refused.status == 403)
            let (anonymous, _) = try await TusTestClient(server, token: "nope").create(length: 1)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers.first(name: "Tus-Resumable") == "1.0.0")
        }
    }

    @Test func uploadLinksCreateIntoTheirGroupAndTerminationCancels() async throws {
        try await withServer { server in
            let link = try TokenIssuer.createUploadLink(in: server.store, userId: "carol", groupName: "inbox", expiresAt: nil, maxBytes: 10)
            let tus = TusTestClient(server, token: link)
            let (elsewhere, _) = try await tus.create(length: 3, metadata: ["group": "other"])
            #expect(elsewhere.status == 403)
            let (created, id) = try await tus.create(length: 3, metadata: ["filename": "a.txt"])
            #expect(created.status == 201, "\(created.text)")
            let upload = try #require(id)
            let session = try #require(try await server.store.reader.session(upload))
            #expect(try await server.store.reader.group(session.groupId)?.name == "inbox")
            let (over, _) = try await tus.create(length: 8, metadata: ["filename": "b.txt"])
            #expect(over.status == 403)
            #expect(over.errorCode == "quotaExceeded")
            let (unsized, _) = try await tus.create(length: nil, metadata: ["filename": "stream.bin"])
            #expect(unsized.status == 403, "a link with an allowance cannot take bytes it cannot count up front")
            #expect(unsized.errorCode == "quotaExceeded")
            #expect(try await server.send(.DELETE, "/files/\(upload)", headers: tus.headers).status == 204)
            let after = try await tus.head(upload)
            #expect(after.status == 410, "an upload link cancels (it may not delete): \(after.text)")
            #expect(try await server.store.reader.session(upload)?.status == .cancelled)
        }
    }

    /// A final upload's bytes were charged to a link when its partial uploads were made: the final
    /// one is not charged again. A `group` in metadata is held to createGroup's rules for names.
    @Test func aFinalUploadIsNotChargedTwiceAndGroupNamesAreChecked() async throws {
        try await withServer { server in
            let link = try TokenIssuer.createUploadLink(in: server.store, userId: "dora", groupName: nil, expiresAt: nil, maxBytes: 300)
            let tus = TusTestClient(server, token: link)
            var urls: [String] = []
            for index in 0..<2 {
                let (created, id) = try await tus.create(
                    length: 100, metadata: ["filename": "p\(index)"], extra: [("Upload-Concat", "partial")])
                #expect(created.status == 201, "\(created.text)")
                let upload = try #require(id)
                #expect(try await tus.patch(upload, offset: 0, Data(repeating: UInt8(index), count: 100)).status == 204)
                urls.append("/files/\(upload)")
            }
            let final = try await server.send(.POST, "/files/", headers: tus.headers + [("Upload-Concat", "final;" + urls.joined(separator: " "))])
            #expect(final.status == 201, "\(final.text)")
            // 100 bytes of the allowance are left.
            #expect(try await tus.create(length: 101).0.status == 403)
            #expect(try await tus.create(length: 100).0.status == 201)

            for name in [String(repeating: "g", count: 600), "x\u{0}y"] {
                let (refused, _) = try await TusTestClient(server).create(length: 1, metadata: ["group": name])
                #expect(refused.status == 422 && refused.errorCode == "invalidArgument", "\(refused.text)")
            }
        }
    }

    @Test func uploadsNamingAGroupShareItEvenWhenCreatedAtOnce() async throws {
        try await withServer { server in
            let tus = TusTestClient(server)
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    group.addTask { try await tus.create(length: 1, metadata: ["filename": "f\(index)", "group": "batch"]).1 }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(ids.count == 8)
            var groups = Set<String>()
            for id in ids { groups.insert(try #require(try await server.store.reader.session(id)).groupId) }
            #expect(groups.count == 1, "\(groups)")
        }
    }

    /// Two instances on one PostgreSQL database: uploads naming the same new group, created at once
    /// through both, still share one group (the lock on names is per process; the check inside the
    /// write transaction, where instances take turns, is not).
    @Test(.enabled(if: PostgresServer.unavailableReason == nil, "PostgreSQL missing (apt-get install postgresql)"), .timeLimit(.minutes(5)))
    func uploadsNamingAGroupShareItAcrossInstances() async throws {
        let database = try await PostgresServer.shared.freshDatabase()
        let first = try await TestServer.start { $0.databasePath = database }
        let second = try await TestServer.start { $0.databasePath = database }
        defer { Task { await first.finish(); await second.finish() } }
        let token = try first.userToken("erin")
        let clients = [TusTestClient(first, token: token), TusTestClient(second, token: token)]
        for round in 0..<5 {
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await clients[index % 2].create(length: 1, metadata: ["filename": "f\(index)", "group": "round \(round)"]).1
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(ids.count == 8)
            var groups = Set<String>()
            for id in ids { groups.insert(try #require(try await first.store.reader.session(id)).groupId) }
            #expect(groups.count == 1, "round \(round): \(groups)")
        }
    }

    @Test func anOperatorsCancelStopsTheNextPatch() async throws {
        try await withServer { server in
            let tus = TusTestClient(server, token: try server.userToken("dave"))
            let bytes = randomBytes(6 * TusScenarios.mib, seed: 86)
            let (_, id) = try await tus.create(length: Int64(bytes.count), metadata: ["filename": "stopped.bin"])
            let upload = try #require(id)
            #expect(try await tus.patch(upload, offset: 0, bytes.prefix(2 * TusScenarios.mib)).status == 204)
            _ = try await server.ok("cancel", ["sessionId": upload, "reason": "not this one"])
            let refused = try await tus.patch(upload, offset: Int64(2 * TusScenarios.mib), bytes.suffix(from: 2 * TusScenarios.mib))
            #expect(refused.status == 410)
            #expect(refused.errorCode == "gone")
            #expect(refused.text.contains("not this one") && refused.text.contains("admin"), "\(refused.text)")
            #expect(try await tus.head(upload).status == 410)
        }
    }

    @Test func deleteRemovesTheUploadAndItsBytes() async throws {
        try await withServer { server in
            let tus = TusTestClient(server)
            let (_, id) = try await tus.create(length: 5, metadata: ["filename": "gone.txt"], body: Data("hello".utf8))
            let upload = try #require(id)
            try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
            let key = try #require(try await server.store.reader.session(upload)).objectKey
            #expect(try await server.send(.DELETE, "/files/\(upload)", headers: tus.headers).status == 204)
            #expect(try await tus.head(upload).status == 404)
            #expect(try await server.server.storage.objectInfo(key: key) == nil)
        }
    }
}
