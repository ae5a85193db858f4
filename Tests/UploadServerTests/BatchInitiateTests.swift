import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// `initiate` with `files`: many sessions in one call and one transaction, all or nothing.
@Suite struct BatchInitiateTests {
    static func files(_ count: Int, prefix: String = "f", fingerprint: Bool = true) -> [[String: Any]] {
        (0..<count).map { index in
            var file: [String: Any] = ["fileName": "\(prefix)\(index).bin", "size": 10 + index]
            if fingerprint { file["fingerprint"] = "size=\(10 + index);mtime=1" }
            return file
        }
    }

    static func ids(_ answer: [String: Any]) -> [String] {
        ((answer["sessions"] as? [[String: Any]]) ?? []).map { ($0["session"] as! [String: Any])["id"] as! String }
    }

    @Test func answersEverySessionInTheOrderAsked() async throws {
        let server = try await TestServer.start()
        let files = Self.files(5) + [["fileName": "big.bin", "size": 20 << 20]]
        let answer = try await server.ok("initiate", ["files": files])
        let sessions = try #require(answer["sessions"] as? [[String: Any]])
        #expect(sessions.count == 6)
        for (file, entry) in zip(files, sessions) {
            let session = entry["session"] as! [String: Any]
            #expect(session["fileName"] as? String == file["fileName"] as? String)
            #expect(session["size"] as? Int == file["size"] as? Int)
        }
        #expect(sessions.prefix(5).allSatisfy { $0["method"] as? String == "single" && $0["url"] is String })
        #expect(sessions[5]["method"] as? String == "multipart" && sessions[5]["url"] == nil && sessions[5]["totalParts"] as? Int == 3)
        // One new group holds them all.
        let groups = Set(sessions.map { ($0["session"] as! [String: Any])["groupId"] as! String })
        #expect(groups.count == 1)
        let group = try #require(try await server.store.reader.group(groups.first!))
        #expect(group.totalFiles == 6)
        // Each URL takes its file's bytes.
        for (index, entry) in sessions.prefix(5).enumerated() {
            #expect(try await server.put(entry["url"] as! String, randomBytes(10 + index, seed: UInt64(index))).status == 200)
        }
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func takesAThousandFilesAndRefusesMore() async throws {
        let server = try await TestServer.start()
        let group = (try await server.ok("createGroup", ["name": "many"])["group"] as! [String: Any])["id"] as! String
        let answer = try await server.ok("initiate", ["groupId": group, "files": Self.files(1000)])
        #expect(Self.ids(answer).count == 1000 && Set(Self.ids(answer)).count == 1000)
        let refused = try await server.call("initiate", ["groupId": group, "files": Self.files(1001, prefix: "g")])
        #expect(refused.status == 422 && refused.errorCode == "invalidArgument", "\(refused.text)")
        let empty = try await server.call("initiate", ["groupId": group, "files": [[String: Any]]()])
        #expect(empty.status == 422 && empty.errorCode == "invalidArgument")
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group, limit: 5000)).count == 1000)
        #expect(try await server.store.reader.group(group)?.totalFiles == 1000)
        await server.finish()
    }

    @Test func oneBadEntryRecordsNothingAndNamesItsIndex() async throws {
        let server = try await TestServer.start()
        let group = (try await server.ok("createGroup", ["name": "g"])["group"] as! [String: Any])["id"] as! String
        let before = try await server.store.reader.latestEventId()
        var files = Self.files(10)
        files[7]["fileName"] = "bad\u{0}name"
        let reply = try await server.call("initiate", ["groupId": group, "files": files])
        #expect(reply.status == 422 && reply.errorCode == "invalidArgument")
        #expect(reply.text.contains("files[7]"), "\(reply.text)")
        var huge = Self.files(3)
        huge[2]["size"] = Int64(6) << 40
        let tooLarge = try await server.call("initiate", ["files": huge])
        #expect(tooLarge.status == 413 || tooLarge.status == 400, "\(tooLarge.text)")
        #expect(tooLarge.text.contains("files[2]"), "\(tooLarge.text)")
        var badChecksum = Self.files(3)
        badChecksum[1]["checksum"] = ["algorithm": "crc32c", "value": "AAAA"]
        let checksum = try await server.call("initiate", ["groupId": group, "files": badChecksum])
        #expect(checksum.status == 400 && checksum.text.contains("files.1.checksum"), "\(checksum.text)")
        // An optional field is left out, never null: at the top and inside an entry.
        var nullInside = Self.files(2)
        nullInside[1]["contentType"] = NSNull()
        let inside = try await server.call("initiate", ["groupId": group, "files": nullInside])
        #expect(inside.status == 400 && inside.text.contains("files.1.contentType"), "\(inside.text)")
        let top = try await server.call("initiate", ["fileName": "x", "size": 1, "checksum": NSNull()])
        #expect(top.status == 400 && top.text.contains("checksum"), "\(top.text)")
        // The single-file fields are refused beside `files`.
        let mixed = try await server.call("initiate", ["groupId": group, "fileName": "x", "size": 1, "files": Self.files(1)])
        #expect(mixed.status == 400 && mixed.text.contains("fileName"), "\(mixed.text)")
        #expect(try await server.store.reader.latestEventId() == before)
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group)).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("storage/uploads").path).isEmpty)
        // A well-formed checksum is taken.
        var good = Self.files(2)
        good[0]["checksum"] = ["algorithm": "crc32c", "value": "AAAAAA=="]
        good[1]["checksum"] = ["algorithm": "crc32c", "value": "4waSgw=="]
        #expect(Self.ids(try await server.ok("initiate", ["groupId": group, "files": good])).count == 2)
        await server.finish()
    }

    @Test func aStorageFailureAbortsTheUploadsAlreadyBegun() async throws {
        let storage = BeginFailingStorage()
        let server = try await TestServer.start(storage: storage)
        let group = (try await server.ok("createGroup", ["name": "g"])["group"] as! [String: Any])["id"] as! String
        let before = try await server.store.reader.latestEventId()
        var files = Self.files(40)
        files[30]["fileName"] = "fail.bin"
        let reply = try await server.call("initiate", ["groupId": group, "files": files])
        #expect(reply.status == 503 && reply.errorCode == "storageError", "\(reply.text)")
        #expect(storage.begunCount > 0)
        #expect(storage.leftOpen.isEmpty)
        #expect(try await server.store.reader.latestEventId() == before)
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group)).isEmpty)
        await server.finish()
    }

    @Test func aGroupGoneBeforeTheBatchRecordsNothing() async throws {
        let server = try await TestServer.start()
        let group = (try await server.ok("createGroup", ["name": "g"])["group"] as! [String: Any])["id"] as! String
        _ = try await server.ok("delete", ["groupId": group])
        let reply = try await server.call("initiate", ["groupId": group, "files": Self.files(4)])
        #expect(reply.status == 404)
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("storage/uploads").path).isEmpty)
        await server.finish()
    }

    @Test func aRepeatGetsTheSameSessionsPerEntry() async throws {
        let server = try await TestServer.start()
        let group = (try await server.ok("createGroup", ["name": "g"])["group"] as! [String: Any])["id"] as! String
        let files = Self.files(4)
        let first = Self.ids(try await server.ok("initiate", ["groupId": group, "files": files]))
        let again = Self.ids(try await server.ok("initiate", ["groupId": group, "files": files]))
        #expect(first == again)
        // A new entry beside known ones gets a new session; an entry without fingerprint always does;
        // an entry twice in one batch gets one session.
        var mixed = files
        mixed.append(["fileName": "new.bin", "size": 3, "fingerprint": "size=3;mtime=1"])
        mixed.append(["fileName": "f0.bin", "size": 10])
        mixed.append(files[1])
        let third = Self.ids(try await server.ok("initiate", ["groupId": group, "files": mixed]))
        #expect(Array(third.prefix(4)) == first)
        #expect(!first.contains(third[4]) && !first.contains(third[5]) && third[6] == first[1])
        // The single form finds a batch's session too.
        let single = try await server.ok("initiate", (["groupId": group] as [String: Any]).merging(files[2]) { $1 })
        #expect((single["session"] as! [String: Any])["id"] as? String == first[2])
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group)).count == 6)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func aUserCannotInitiateIntoAnotherUsersGroup() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let bob = try server.userToken("bob")
        let group = (try await server.ok("createGroup", ["name": "a"], token: alice)["group"] as! [String: Any])["id"] as! String
        let reply = try await server.call("initiate", ["groupId": group, "files": Self.files(2)], token: bob)
        #expect(reply.status == 404, "\(reply.text)")
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group)).isEmpty)
        let own = try await server.ok("initiate", ["groupId": group, "files": Self.files(2)], token: alice)
        #expect(Self.ids(own).count == 2)
        let session = try #require(try await server.store.reader.session(Self.ids(own)[0]))
        #expect(session.userId == "alice")
        await server.finish()
    }
}
