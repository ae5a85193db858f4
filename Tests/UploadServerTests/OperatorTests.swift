import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Operator actions mid-upload: retry, cancel, delete; each records who acted.
@Suite struct OperatorTests {
    let mib = Int(PartPlanner.mebibyte)

    func startMultipart(_ server: TestServer, token: String? = nil) async throws -> (id: String, urls: [Int: String], bytes: Data) {
        let bytes = randomBytes(11 * mib, seed: 5)
        let initiated = try await server.ok("initiate", ["fileName": "a.bin", "size": bytes.count, "partSize": 5 * mib], token: token)
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1, 2, 3]], token: token)
        var urls: [Int: String] = [:]
        for part in signed["parts"] as! [[String: Any]] { urls[part["partNumber"] as! Int] = part["url"] as? String }
        return (id, urls, bytes)
    }

    func slice(_ bytes: Data, part: Int) -> Data {
        let start = (part - 1) * 5 * mib
        return bytes.subdata(in: start..<min(bytes.count, start + 5 * mib))
    }

    @Test func retryPutsFailedPartsBackAndTheUploadFinishes() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let (id, urls, bytes) = try await startMultipart(server, token: alice)
        #expect(try await server.put(urls[1]!, slice(bytes, part: 1)).status == 200)
        let bad = try await server.put(urls[2]!, slice(bytes, part: 2), headers: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")])
        #expect(bad.status == 422)
        #expect(try await server.store.reader.parts(sessionId: id)[1].status == .failed)
        let retried = try await server.ok("retry", ["sessionId": id])
        let parts = retried["parts"] as! [[String: Any]]
        #expect(parts.map { $0["partNumber"] as! Int } == [2])
        #expect(parts.first?["status"] as? String == "PENDING")
        let part2 = try await server.store.reader.parts(sessionId: id)[1]
        #expect(part2.actedBy == "admin:admin")
        #expect(try await server.put(urls[2]!, slice(bytes, part: 2)).status == 200)
        #expect(try await server.put(urls[3]!, slice(bytes, part: 3)).status == 200)
        _ = try await server.ok("complete", ["sessionId": id], token: alice)
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let nothing = try await server.call("retry", ["sessionId": id])
        #expect(nothing.status == 409)
        await server.finish()
    }

    @Test func retryNamedPartsAndAFailedSession() async throws {
        let server = try await TestServer.start()
        let (id, urls, bytes) = try await startMultipart(server)
        #expect(try await server.put(urls[1]!, slice(bytes, part: 1)).status == 200)
        try await server.store.transaction(actedBy: "uploader") { tx in
            try tx.sessions.transition(id, to: .failed, error: ErrorDetail(code: "partRetriesExhausted", message: "gave up"))
        }
        let retried = try await server.ok("retry", ["sessionId": id, "partNumbers": [1]])
        #expect((retried["parts"] as! [[String: Any]]).count == 1)
        let session = (retried["sessions"] as! [[String: Any]]).first
        #expect(session?["status"] as? String == "PENDING")
        #expect(try await server.store.reader.session(id)?.attempts == 2)
        let outside = try await server.call("retry", ["sessionId": id, "partNumbers": [9]])
        #expect(outside.status == 422)
        await server.finish()
    }

    @Test func cancelStopsAcceptingBytesAndCleansStorage() async throws {
        let server = try await TestServer.start()
        let (id, urls, bytes) = try await startMultipart(server)
        #expect(try await server.put(urls[1]!, slice(bytes, part: 1)).status == 200)
        let session = try #require(try await server.store.reader.session(id))
        let cancelled = try await server.ok("cancel", ["groupId": session.groupId, "reason": "stuck for hours"])
        #expect((cancelled["group"] as? [String: Any])?["status"] as? String == "CANCELLED")
        let late = try await server.put(urls[2]!, slice(bytes, part: 2))
        #expect(late.status == 409)
        let after = try #require(try await server.store.reader.session(id))
        #expect(after.status == .cancelled && after.error?.message == "stuck for hours" && after.actedBy == "admin:admin")
        #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("storage/uploads/\(id).upload").path))
        let joinCancelled = try await server.call("initiate", ["fileName": "b", "size": 1, "groupId": session.groupId])
        #expect(joinCancelled.status == 409)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func deleteRemovesRowsAndBytesAndSaysSo() async throws {
        let server = try await TestServer.start()
        let id = try await server.upload(randomBytes(100), name: "gone.txt")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let session = try #require(try await server.store.reader.session(id))
        let object = server.folder.appendingPathComponent("storage/objects").appendingPathComponent(session.objectKey)
        #expect(FileManager.default.fileExists(atPath: object.path))
        let deleted = try await server.ok("delete", ["sessionId": id])
        #expect(deleted["deleted"] as? Bool == true)
        #expect(try await server.store.reader.session(id) == nil)
        #expect(!FileManager.default.fileExists(atPath: object.path))
        let event = try #require(try await server.store.reader.events(after: 0, limit: 1000).last { $0.deleted })
        #expect(event.entityId == id && event.kind == .session)
        _ = try await server.ok("delete", ["groupId": session.groupId])
        #expect(try await server.store.reader.group(session.groupId) == nil)
        let again = try await server.call("delete", ["groupId": session.groupId])
        #expect(again.status == 404)
        await server.finish()
    }
}
