import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// A single PUT to the disk store that receives every byte with matching checksums completes its
/// session itself and answers it; anything less leaves the session open and the PUT retriable.
@Suite struct SelfCompletingPutTests {
    /// The statuses a session went through, as its events tell, each once in a row.
    static func statuses(_ server: TestServer, _ id: String) async throws -> [FileStatus] {
        var seen: [FileStatus] = []
        for event in try await server.store.reader.events(after: 0, limit: 10_000) where event.entityId == id {
            guard case .session(let session) = try event.change(), seen.last != session.status else { continue }
            seen.append(session.status)
        }
        return seen
    }

    static func md5(_ bytes: Data) -> String { Data(Insecure.MD5.hash(data: bytes)).base64EncodedString() }

    @Test func thePutAnswersTheCompletedSessionAndCompleteIsANoOp() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(50_000, seed: 3)
        let initiated = try await server.ok("initiate", ["fileName": "a.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let reply = try await server.put(initiated["url"] as! String, bytes, headers: [("Content-MD5", Self.md5(bytes))])
        #expect(reply.status == 200, "\(reply.text)")
        let part = try #require(reply.json["part"] as? [String: Any])
        #expect(part["status"] as? String == "UPLOADED")
        let session = try #require(reply.json["session"] as? [String: Any])
        #expect(session["id"] as? String == id)
        #expect(session["status"] as? String == "PROCESSING", "jobs are configured: \(reply.text)")
        // Jobs run as after `complete`.
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        #expect(try await server.store.reader.jobs(sessionId: id).map(\.status) == [.succeeded, .succeeded])
        let before = try await server.store.reader.latestEventId()
        let complete = try await server.ok("complete", ["sessionId": id])
        #expect((complete["session"] as? [String: Any])?["status"] as? String == "COMPLETED")
        #expect(try await server.store.reader.latestEventId() == before)
        let stored = server.folder.appendingPathComponent("storage/objects")
            .appendingPathComponent(try #require(try await server.store.reader.session(id)).objectKey)
        #expect(try Data(contentsOf: stored) == bytes)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func withoutJobsTheAnswerIsCompleted() async throws {
        let server = try await TestServer.start { $0.jobs = [] }
        let initiated = try await server.ok("initiate", ["fileName": "b.bin", "size": 5])
        let reply = try await server.put(initiated["url"] as! String, Data("hello".utf8))
        #expect((reply.json["session"] as? [String: Any])?["status"] as? String == "COMPLETED", "\(reply.text)")
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        #expect(try await server.store.reader.session(id)?.status == .completed)
        await server.finish()
    }

    /// The session goes through the same statuses, in the same order, as a multipart one that
    /// `complete` finishes.
    @Test func oneEventSequenceAsWithComplete() async throws {
        let server = try await TestServer.start { config in
            config.planner = PartPlanner(multipartThreshold: 2048, defaultPartSize: 1024, minimumPartSize: 1024)
        }
        let single = try await server.ok("initiate", ["fileName": "one.bin", "size": 1000])
        let singleId = (single["session"] as! [String: Any])["id"] as! String
        #expect(try await server.put(single["url"] as! String, randomBytes(1000)).status == 200)
        let multipart = try await server.upload(randomBytes(3000), name: "three.bin")
        try await server.waitFor("both COMPLETED") {
            let first = try await server.store.reader.session(singleId)?.status
            let second = try await server.store.reader.session(multipart)?.status
            return first == .completed && second == .completed
        }
        let expected = try await Self.statuses(server, multipart)
        #expect(expected == [.pending, .uploading, .uploaded, .processing, .completed])
        #expect(try await Self.statuses(server, singleId) == expected)
        await server.finish()
    }

    @Test func aWrongChecksumFailsThePutAndLeavesTheSessionOpen() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(4096, seed: 9)
        let initiated = try await server.ok("initiate", ["fileName": "c.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let url = initiated["url"] as! String
        let wrong = try await server.put(url, bytes, headers: [("Content-MD5", Self.md5(Data("other".utf8)))])
        #expect(wrong.status == 422 && wrong.errorCode == "checksumMismatch", "\(wrong.text)")
        let wrongCRC = try await server.put(url, bytes, headers: [("x-amz-checksum-crc32c", "AAAAAA==")])
        #expect(wrongCRC.status == 422 && wrongCRC.errorCode == "checksumMismatch", "\(wrongCRC.text)")
        let open = try #require(try await server.store.reader.session(id))
        #expect(open.status == .pending || open.status == .uploading)
        #expect(try await server.store.reader.parts(sessionId: id).first?.status == .failed)
        let complete = try await server.call("complete", ["sessionId": id])
        #expect(complete.status == 409)
        // Sent again with the right bytes, it completes.
        let right = try await server.put(url, bytes, headers: [("Content-MD5", Self.md5(bytes))])
        #expect(right.status == 200)
        #expect((right.json["session"] as? [String: Any])?["status"] as? String == "PROCESSING")
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func aBrokenOffPutLeavesTheSessionOpen() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(1 << 20, seed: 10)
        let initiated = try await server.ok("initiate", ["fileName": "d.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let url = initiated["url"] as! String
        let (stream, chunks) = AsyncStream<ByteBuffer>.makeStream()
        let put = Task {
            var request = HTTPClientRequest(url: url)
            request.method = .PUT
            request.body = .stream(stream, length: .known(Int64(bytes.count)))
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        }
        chunks.yield(ByteBuffer(bytes: bytes.prefix(64 << 10)))
        try await server.waitFor("the part is arriving") { try await server.store.reader.parts(sessionId: id).first?.status == .uploading }
        put.cancel()
        chunks.finish()
        _ = try? await put.value
        try await server.waitFor("the part FAILED") { try await server.store.reader.parts(sessionId: id).first?.status == .failed }
        let open = try #require(try await server.store.reader.session(id))
        #expect(open.status == .pending || open.status == .uploading)
        let again = try await server.put(url, bytes)
        #expect(again.status == 200, "\(again.text)")
        #expect((again.json["session"] as? [String: Any])?["status"] as? String == "PROCESSING")
        await server.finish()
    }
}
