import Crypto
import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Full uploads over real HTTP: single and multipart, out of order and in parallel.
@Suite struct ServerLifecycleTests {
    func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func storedFile(_ server: TestServer, session: UploadSession) -> URL {
        server.folder.appendingPathComponent("storage/objects").appendingPathComponent(session.objectKey)
    }

    @Test func singleUploadEndsCompletedWithTheSameBytes() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(100_000)
        let id = try await server.upload(bytes, name: "photo.jpg")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let session = try #require(try await server.store.reader.session(id))
        #expect(session.method == .single && session.bytesUploaded == 100_000)
        #expect(sha256(try Data(contentsOf: storedFile(server, session: session))) == sha256(bytes))
        let jobs = try await server.store.reader.jobs(sessionId: id)
        #expect(jobs.map(\.kind) == ["sha256", "content-type"])
        #expect(jobs.first?.output == sha256(bytes))
        let group = try #require(try await server.store.reader.group(session.groupId))
        #expect(group.status == .completed && group.completedFiles == 1)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// An initiate repeated after its answer was lost (same group, name, size and fingerprint)
    /// gets the session the first one made, so the group does not wait forever for a twin.
    @Test func aRepeatedInitiateGetsTheSameSession() async throws {
        let server = try await TestServer.start()
        let group = (try await server.ok("createGroup", ["name": "g"])["group"] as! [String: Any])["id"] as! String
        let fields: [String: Any] = ["groupId": group, "fileName": "a.bin", "size": 5, "fingerprint": "size=5;mtime=1"]
        let first = try await server.ok("initiate", fields)
        let again = try await server.ok("initiate", fields)
        let id = (first["session"] as! [String: Any])["id"] as! String
        #expect((again["session"] as! [String: Any])["id"] as? String == id)
        #expect(again["url"] is String)
        var changed = fields
        changed["fingerprint"] = "size=5;mtime=2"
        let other = try await server.ok("initiate", changed)
        #expect((other["session"] as! [String: Any])["id"] as? String != id)
        var unmarked = fields
        unmarked["fingerprint"] = nil
        let plain = try await server.ok("initiate", unmarked)
        #expect((plain["session"] as! [String: Any])["id"] as? String != id)
        #expect(try await server.put(again["url"] as! String, Data("hello".utf8)).status == 200)
        _ = try await server.ok("complete", ["sessionId": id])
        // Once the first is done, the same file again is a new upload.
        let later = try await server.ok("initiate", fields)
        #expect((later["session"] as! [String: Any])["id"] as? String != id)
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: group)).count == 4)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func zeroByteFile() async throws {
        let server = try await TestServer.start()
        let id = try await server.upload(Data(), name: "empty")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        #expect(try await server.store.reader.jobs(sessionId: id).last?.output == "application/x-empty")
        await server.finish()
    }

    @Test func multipartOutOfOrderAndInParallel() async throws {
        let server = try await TestServer.start()
        let mib = Int(PartPlanner.mebibyte)
        let bytes = randomBytes(17 * mib + 123, seed: 2)
        let initiated = try await server.ok("initiate", ["fileName": "big.bin", "size": bytes.count, "partSize": 5 * mib,
                                                         "sha256": sha256(bytes)])
        #expect(initiated["method"] as? String == "multipart")
        #expect(initiated["totalParts"] as? Int == 4)
        #expect(initiated["url"] == nil)
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [4, 2, 3, 1]])
        let parts = signed["parts"] as! [[String: Any]]
        #expect(parts.map { $0["partNumber"] as! Int } == [4, 2, 3, 1])
        try await withThrowingTaskGroup(of: Int.self) { group in
            for part in parts {
                let offset = part["offset"] as! Int
                let size = part["size"] as! Int
                let url = part["url"] as! String
                group.addTask { try await server.put(url, bytes.subdata(in: offset..<(offset + size))).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let recorded = try await server.store.reader.parts(sessionId: id)
        for part in recorded {
            let reply = try await server.ok("partUploaded", ["sessionId": id, "partNumber": part.partNumber, "etag": part.etag!, "size": part.size])
            #expect((reply["part"] as? [String: Any])?["status"] as? String == "UPLOADED")
        }
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let session = try #require(try await server.store.reader.session(id))
        #expect(sha256(try Data(contentsOf: storedFile(server, session: session))) == sha256(bytes))
        #expect(session.completedParts == 4)
        #expect(try server.store.integrityCheck() == "ok")
        #expect(try await server.store.reader.audit() == [])
        let again = try await server.ok("complete", ["sessionId": id])
        #expect((again["session"] as? [String: Any])?["status"] as? String == "COMPLETED")
        await server.finish()
    }

    @Test func aDeclaredChecksumThatDiffersFailsTheSession() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(1000)
        let initiated = try await server.ok("initiate", ["fileName": "x", "size": 1000, "sha256": String(repeating: "0", count: 64)])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        #expect(try await server.put(initiated["url"] as! String, bytes).status == 200)
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("FAILED") { try await server.store.reader.session(id)?.status == .failed }
        let session = try #require(try await server.store.reader.session(id))
        #expect(session.error?.code == "jobFailed")
        let job = try #require(try await server.store.reader.jobs(sessionId: id).first)
        #expect(job.status == .failed && job.error?.code == "sha256Mismatch" && job.attempts == 1)
        #expect(try await server.store.reader.group(session.groupId)?.status == .failed)
        await server.finish()
    }

    @Test func filesShareAGroup() async throws {
        let server = try await TestServer.start()
        let group = try await server.ok("createGroup", ["name": "holiday"])
        let groupId = (group["group"] as! [String: Any])["id"] as! String
        for index in 0..<3 {
            _ = try await server.upload(randomBytes(10 + index, seed: UInt64(index)), name: "f\(index)", groupId: groupId)
        }
        try await server.waitFor("group COMPLETED") { try await server.store.reader.group(groupId)?.status == .completed }
        let status = try await server.ok("status", ["groupId": groupId])
        #expect((status["sessions"] as? [Any])?.count == 3)
        #expect((status["group"] as? [String: Any])?["completedFiles"] as? Int == 3)
        await server.finish()
    }

    @Test func healthMetricsAndSpecAreServed() async throws {
        let server = try await TestServer.start()
        _ = try await server.upload(randomBytes(10), name: "a")
        let health = try await server.send(.GET, "/healthz")
        #expect(health.status == 200 && health.json["status"] as? String == "ok")
        let metrics = try await server.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        for name in ["upman_sessions_initiated_total", "upman_bytes_received_total", "upman_parts_uploaded_total", "upman_sse_subscribers"] {
            #expect(metrics.text.contains(name), "missing \(name)")
        }
        let spec = try await server.send(.GET, "/api/v1/openapi.yaml")
        #expect(spec.status == 200 && spec.text.hasPrefix("openapi: 3"))
        await server.finish()
    }
}
