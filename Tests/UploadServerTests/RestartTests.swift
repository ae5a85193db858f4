import Crypto
import Foundation
import Testing
import UploadModel
import ObjectStorage
import UploadStore
@testable import UploadServer

/// The server restarts mid-upload; the upload resumes. Jobs left RUNNING are queued again.
/// Idle sessions expire and their bytes are removed; upload files a killed process left go at start.
@Suite struct RestartTests {
    let mib = Int(PartPlanner.mebibyte)

    @Test func restartMidUploadAndResume() async throws {
        let first = try await TestServer.start()
        let bytes = randomBytes(16 * mib, seed: 9)
        let initiated = try await first.ok("initiate", ["fileName": "resume.bin", "size": bytes.count, "partSize": 5 * mib])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await first.ok("signParts", ["sessionId": id, "partNumbers": [1, 2]])
        for part in signed["parts"] as! [[String: Any]] {
            let offset = part["offset"] as! Int
            #expect(try await first.put(part["url"] as! String, bytes.subdata(in: offset..<(offset + 5 * mib))).status == 200)
        }
        await first.stop()

        let second = try await TestServer.start(folder: first.folder)
        let status = try await second.ok("status", ["sessionId": id])
        let detail = (status["sessions"] as! [[String: Any]])[0]
        let missing = (detail["parts"] as! [[String: Any]]).filter { $0["status"] as? String != "UPLOADED" }.map { $0["partNumber"] as! Int }
        #expect(missing == [3, 4])
        #expect((detail["session"] as! [String: Any])["status"] as? String == "UPLOADING")
        let resigned = try await second.ok("signParts", ["sessionId": id, "partNumbers": missing])
        for part in resigned["parts"] as! [[String: Any]] {
            let offset = part["offset"] as! Int
            let size = part["size"] as! Int
            #expect(try await second.put(part["url"] as! String, bytes.subdata(in: offset..<(offset + size))).status == 200)
        }
        _ = try await second.ok("complete", ["sessionId": id])
        try await second.waitFor("COMPLETED") { try await second.store.reader.session(id)?.status == .completed }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(try await second.store.reader.jobs(sessionId: id).first?.output == digest)
        // URLs signed before the restart still verify (the signing key persists); the session is done.
        let oldURL = ((signed["parts"] as! [[String: Any]])[0]["url"] as! String)
            .replacingOccurrences(of: ":\(first.port)/", with: ":\(second.port)/")
        #expect(try await second.put(oldURL, bytes.subdata(in: 0..<(5 * mib))).status == 409)
        await second.finish()
    }

    @Test func uploadFilesAKilledProcessLeftAreRemovedAtStart() async throws {
        let first = try await TestServer.start()
        let open = try await first.ok("initiate", ["fileName": "open.bin", "size": 12 * mib, "partSize": 5 * mib])
        let openId = (open["session"] as! [String: Any])["id"] as! String
        let cancelled = try await first.ok("initiate", ["fileName": "gone.bin", "size": 12 * mib, "partSize": 5 * mib])
        let cancelledId = (cancelled["session"] as! [String: Any])["id"] as! String
        _ = try await first.ok("cancel", ["sessionId": cancelledId])
        await first.stop()
        // What a process killed mid-initiate (file made, row never committed) or mid-cancel
        // (row committed, file not yet removed) leaves behind.
        let uploads = first.folder.appendingPathComponent("storage/uploads")
        for id in ["ses_neverrecorded", cancelledId] {
            #expect(FileManager.default.createFile(atPath: uploads.appendingPathComponent(id + ".upload").path, contents: Data([1])))
        }
        let restarted = try await TestServer.start(folder: first.folder)
        let disk = try #require(restarted.server.storage as? DiskStorage)
        #expect(try disk.uploadSessionIds() == [openId])
        await restarted.finish()
    }

    /// A process killed between moving a finished upload into place and recording it, whose
    /// uploader never came back; and one whose upload file vanished with parts still missing.
    @Test func theReconcilerFinishesALostCompleteAndExpiresLostBytesOnDisk() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(11 * mib, seed: 61)
        let whole = try await server.ok("initiate", ["fileName": "whole.bin", "size": bytes.count, "partSize": 5 * mib])
        let wholeId = (whole["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": wholeId, "partNumbers": [1, 2, 3]])
        for part in signed["parts"] as! [[String: Any]] {
            let offset = part["offset"] as! Int, size = part["size"] as! Int
            #expect(try await server.put(part["url"] as! String, bytes.subdata(in: offset..<(offset + size))).status == 200)
        }
        let disk = try #require(server.server.storage as? DiskStorage)
        let session = try #require(try await server.store.reader.session(wholeId))
        let parts = try await server.store.reader.parts(sessionId: wholeId)
        _ = try await disk.complete(StorageUpload(session), parts: parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })
        let partial = try await server.ok("initiate", ["fileName": "partial.bin", "size": 11 * mib, "partSize": 5 * mib])
        let partialId = (partial["session"] as! [String: Any])["id"] as! String
        try disk.removeUpload(sessionId: partialId)
        // Within the grace period nothing is touched.
        #expect(try await server.server.reconciler.reconcile(now: Date()).isEmpty)
        let actions = try await server.server.reconciler.reconcile(now: Date().addingTimeInterval(3600))
        #expect(Set(actions.map { "\($0.sessionId) \($0.action)" }) == ["\(wholeId) finished", "\(partialId) expired"])
        try await server.waitFor("whole COMPLETED") { try await server.store.reader.session(wholeId)?.status == .completed }
        #expect(try await server.store.reader.session(partialId)?.error?.code == "uploadGone")
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func jobsLeftRunningAreQueuedAgainAtStart() async throws {
        // One part of a multipart upload: a single PUT would complete the session by itself.
        let first = try await TestServer.start { $0.planner = PartPlanner(multipartThreshold: 5, defaultPartSize: 1024, minimumPartSize: 1) }
        let initiated = try await first.ok("initiate", ["fileName": "a", "size": 10])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await first.ok("signParts", ["sessionId": id, "partNumbers": [1]])
        let url = try #require((signed["parts"] as? [[String: Any]])?.first?["url"] as? String)
        #expect(try await first.put(url, randomBytes(10)).status == 200)
        await first.stop()
        // What a process that died mid-job leaves behind: the object in place, a job RUNNING.
        let store = try UploadStore.open(first.server.configuration.resolvedDatabasePath)
        let session = try #require(try await store.reader.session(id))
        let disk = try #require(first.server.storage as? DiskStorage)
        let etag = try #require(try await store.reader.parts(sessionId: id).first?.etag)
        _ = try await disk.complete(StorageUpload(session), parts: [CompletedPart(partNumber: 1, etag: etag)])
        try store.write(actedBy: "crashed") { tx in
            try tx.sessions.transition(id, to: .uploaded)
            try tx.sessions.transition(id, to: .processing)
            let job = try tx.jobs.enqueue(ProcessingJob(id: "job_stuck", sessionId: id, groupId: session.groupId, kind: "sha256", createdAt: tx.now))
            try tx.jobs.transition(job.id, to: .running)
        }
        let restarted = try await TestServer.start(folder: first.folder)
        try await restarted.waitFor("COMPLETED") { try await restarted.store.reader.session(id)?.status == .completed }
        let job = try #require(try await restarted.store.reader.jobs(sessionId: id).first)
        #expect(job.status == .succeeded && job.attempts == 2)
        #expect(job.output?.count == 64)
        await restarted.finish()
    }

    @Test func idleSessionsExpireAndLoseTheirBytes() async throws {
        let server = try await TestServer.start { $0.sessionTTL = 60 }
        let initiated = try await server.ok("initiate", ["fileName": "idle", "size": 10])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let upload = server.folder.appendingPathComponent("storage/uploads/\(id).upload")
        #expect(FileManager.default.fileExists(atPath: upload.path))
        let none = try await server.server.sweeper.sweep(now: Date())
        #expect(none.isEmpty)
        let expired = try await server.server.sweeper.sweep(now: Date().addingTimeInterval(120))
        #expect(expired.map(\.id) == [id])
        let session = try #require(try await server.store.reader.session(id))
        #expect(session.status == .expired && session.error?.code == "sessionExpired")
        #expect(!FileManager.default.fileExists(atPath: upload.path))
        #expect(try await server.store.reader.group(session.groupId)?.status == .failed)
        await server.finish()
    }
}
