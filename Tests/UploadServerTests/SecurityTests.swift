import TestSupport
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Hostile callers: other users, no or bad tokens, forged names, bodies larger than planned.
/// Each refusal changes nothing: no row, no event, no byte.
@Suite struct SecurityTests {
    static let mib = Int(PartPlanner.mebibyte)

    @Test func noTokenOrABadTokenIs401OnEveryDoor() async throws {
        let server = try await TestServer.start()
        let doors: [(HTTPMethod, String)] = [
            (.POST, "/api/v1/controller"), (.GET, "/api/v1/events"), (.POST, "/api/v1/storage-webhook"),
        ]
        let headers: [[(String, String)]] = [
            [], [("Authorization", "Bearer nope")], [("Authorization", "Bearer ")], [("Authorization", "Basic YTpi")],
            [("Authorization", "Bearer \(server.adminToken)x")], [("Authorization", server.adminToken)],
        ]
        for (method, path) in doors {
            for header in headers {
                let reply = try await server.send(method, path, headers: header, body: method == .POST ? Data("{}".utf8) : nil)
                #expect(reply.status == 401 && reply.errorCode == "unauthorized", "\(method) \(path) \(header) → \(reply.status)")
            }
        }
        #expect(try await server.store.reader.latestEventId() == 0)
        await server.finish()
    }

    /// Bob can reach none of Alice's uploads by any action, and the attempts leave no trace.
    @Test func oneUserCannotSeeOrActOnAnothersUploads() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let bob = try server.userToken("bob")
        let done = try await server.upload(randomBytes(1000, seed: 3), name: "done.bin", token: alice)
        try await server.waitFor("jobs done") {
            try await server.store.reader.jobs(sessionId: done).allSatisfy { $0.status == .succeeded }
        }
        let job = try #require(try await server.store.reader.jobs(sessionId: done).first)
        let initiated = try await server.ok("initiate", ["fileName": "open.bin", "size": 11 * Self.mib, "partSize": 5 * Self.mib], token: alice)
        let open = (initiated["session"] as! [String: Any])["id"] as! String
        let group = try #require(try await server.store.reader.session(open)).groupId
        let before = try await server.store.reader.latestEventId()
        let attempts: [(String, [String: Any])] = [
            ("status", ["sessionId": open]), ("status", ["groupId": group]),
            ("signParts", ["sessionId": open, "partNumbers": [1]]),
            ("partUploaded", ["sessionId": open, "partNumber": 1, "etag": "\"x\"", "size": 5 * Self.mib]),
            ("complete", ["sessionId": open]), ("abort", ["sessionId": open]),
            ("retry", ["sessionId": open]), ("retry", ["groupId": group]), ("retry", ["jobId": job.id]),
            ("cancel", ["sessionId": open]), ("cancel", ["groupId": group]),
            ("delete", ["sessionId": done]), ("delete", ["groupId": group]),
            ("initiate", ["fileName": "b", "size": 1, "groupId": group]),
        ]
        for (action, fields) in attempts {
            let reply = try await server.call(action, fields, token: bob)
            #expect(reply.status == 404 && reply.errorCode == "notFound", "bob: \(action) \(fields) → \(reply.status) \(reply.text)")
            // The refusal must not tell Bob that the id exists.
            let unknown = try await server.call(action, fields.mapValues { value in
                (value as? String).map { $0.hasPrefix("grp_") || $0.hasPrefix("ses_") || $0.hasPrefix("job_") ? $0 + "z" : $0 } ?? value
            }, token: bob)
            #expect(unknown.status == reply.status, "\(action): \(unknown.status) for an unknown id, \(reply.status) for Alice's")
        }
        #expect(try await server.store.reader.latestEventId() == before)
        #expect(try await server.store.reader.session(open)?.status == .pending)
        #expect(try await server.store.reader.session(done)?.status == .completed)
        await server.finish()
    }

    /// Names that try to leave the store, hide, or overflow are refused with a code or stored
    /// safely inside `objects/`; nothing appears outside the data directory.
    @Test func hostileFileNamesAreRefusedOrStoredInside() async throws {
        let server = try await TestServer.start()
        let outside = server.folder.deletingLastPathComponent().appendingPathComponent("upman-escape-\(UUID().uuidString)")
        let names = [
            "../../../\(outside.lastPathComponent)", "/\(outside.path)", "..", ".", "a/../../b", "a\\..\\..\\b",
            "nul\u{0}byte.txt", "\u{202E}gnp.exe", "e\u{301}te\u{301}.txt", "zero\u{200B}width", "emoji 🧪.bin",
            String(repeating: "long", count: 1_000) + ".bin", String(repeating: "ü", count: 300), "CON", "a\nb\r.txt",
            "%2e%2e%2fetc", "~/.ssh/authorized_keys",
        ]
        let objects = server.folder.appendingPathComponent("storage/objects").resolvingSymlinksInPath().path + "/"
        for (index, name) in names.enumerated() {
            let bytes = randomBytes(64, seed: UInt64(index))
            let reply = try await server.call("initiate", ["fileName": name, "size": bytes.count])
            if reply.status != 200 {
                #expect((400..<500).contains(reply.status) && reply.errorCode != nil, "\(name.debugDescription) → \(reply.status) \(reply.text)")
                continue
            }
            let id = (reply.json["session"] as! [String: Any])["id"] as! String
            let put = try await server.put(reply.json["url"] as! String, bytes)
            #expect(put.status == 200, "\(name.debugDescription): \(put.text)")
            _ = try await server.ok("complete", ["sessionId": id])
            try await server.waitFor("\(name.debugDescription) COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
            let key = try #require(try await server.store.reader.session(id)?.objectKey)
            let file = server.folder.appendingPathComponent("storage/objects").appendingPathComponent(key).resolvingSymlinksInPath()
            #expect(file.path.hasPrefix(objects), "\(name.debugDescription) stored at \(file.path)")
            #expect(try Data(contentsOf: file) == bytes)
            #expect(key.utf8.count <= 1024, "key of \(key.utf8.count) bytes")
        }
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// A part sent without Content-Length that runs past its planned size is cut off with 413:
    /// the upload file does not grow, and the part is FAILED, ready for a retry.
    @Test func aPartLargerThanPlannedIsCutOffWithoutFillingTheDisk() async throws {
        let server = try await TestServer.start()
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": 11 * Self.mib, "partSize": 5 * Self.mib])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [3]])
        let url = (signed["parts"] as! [[String: Any]])[0]["url"] as! String
        // 64 MiB offered in 256 KiB chunks for a 1 MiB part.
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        let chunk = ByteBuffer(bytes: randomBytes(256 << 10, seed: 9))
        let offered = 256
        request.body = .stream(AsyncChunks(chunk: chunk, count: offered), length: .unknown)
        var status: Int?
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 1 << 20)
        } catch {
            // The server may close the connection as it answers; the part's record says what happened.
        }
        #expect(status == nil || status == 413, "\(status ?? 0)")
        let part = try #require(try await server.store.reader.parts(sessionId: id).last)
        #expect(part.status == .failed && part.error?.code == "payloadTooLarge", "\(part.status) \(part.error?.code ?? "-")")
        let file = server.folder.appendingPathComponent("storage/uploads/\(id).upload")
        var info = stat()
        #expect(stat(file.path, &info) == 0)
        #expect(Int(info.st_size) == 11 * Self.mib)
        #expect(Int(info.st_blocks) * 512 <= 2 * Self.mib, "\(Int(info.st_blocks) * 512) bytes allocated for a 1 MiB part")
        let retried = try await server.ok("retry", ["sessionId": id])
        #expect((retried["parts"] as! [[String: Any]]).count == 1)
        let good = try await server.put(url, randomBytes(Self.mib, seed: 10))
        #expect(good.status == 200)
        await server.finish()
    }
}

/// The same buffer `count` times, as a request body stream.
struct AsyncChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunk: ByteBuffer
    let count: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunk: ByteBuffer
        var left: Int

        mutating func next() async -> ByteBuffer? {
            guard left > 0 else { return nil }
            left -= 1
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunk: chunk, left: count) }
}
