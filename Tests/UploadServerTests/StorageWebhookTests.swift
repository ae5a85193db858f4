import Foundation
import ObjectStorage
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// `POST /api/v1/storage-webhook` with MinIO's events (Fixtures/webhook) against moto (MinIO's events, one peer is enough): each event
/// is checked against what the bucket holds, so repeats and any order end in the same state.
extension S3Suites {
    @Suite struct StorageWebhookTests {
        let mib = Int(PartPlanner.mebibyte)

        /// A fixture event with its sample key replaced by `key`.
        static func fixture(_ name: String, key: String? = nil) throws -> Data {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Fixtures/webhook/\(name)")
            var text = try String(contentsOf: url, encoding: .utf8)
            if let key {
                text = text.replacingOccurrences(of: "admin%2Fgrp_demo%2Fses_demo%2Fphoto.jpg", with: key.replacingOccurrences(of: "/", with: "%2F"))
                    .replacingOccurrences(of: "upman/admin/grp_demo/ses_demo/photo.jpg", with: "upman/\(key)")
            }
            return Data(text.utf8)
        }

        /// Delivers one event with the admin token.
        static func deliver(_ server: TestServer, _ body: Data, token: String? = nil) async throws -> TestServer.Reply {
            try await server.send(.POST, "/api/v1/storage-webhook",
                                  headers: [("Authorization", "Bearer \(token ?? server.adminToken)"), ("Content-Type", "application/json")], body: body)
        }

        /// A single PUT whose bytes are in the bucket but never reported to the controller.
        func pendingSinglePut(_ bed: S3TestBed, seed: UInt64) async throws -> (id: String, key: String, bytes: Data) {
            let bytes = randomBytes(1000, seed: seed)
            let (id, _) = try await bed.initiateAndSend(bytes, name: "photo.jpg")
            return (id, try await bed.session(id).objectKey, bytes)
        }

        @Test(.timeLimit(.minutes(15))) func putConfirmsASinglePutInOneStep() async throws {
            try await S3TestBed.run(.moto) { bed in
                let (id, key, bytes) = try await pendingSinglePut(bed, seed: 31)
                #expect(try await bed.session(id).status == .pending)
                let reply = try await Self.deliver(bed.server, try Self.fixture("put.json", key: key))
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.json["applied"] as? Int == 1)
                try await bed.waitFor(id, .completed)
                let part = try #require(try await bed.server.store.reader.parts(sessionId: id).first)
                let stored = try await bed.storage.objectInfo(key: key)
                #expect(part.status == .uploaded && EntityTag.same(part.etag, stored?.etag))
                #expect(try await bed.server.store.reader.jobs(sessionId: id).first { $0.kind == "sha256" }?.output == S3TestBed.sha256(bytes))
                // The uploader's own reports arrive late: answered with what is recorded, not 409.
                let late = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": part.etag!, "size": 1000])
                #expect(late.status == 200, "\(late.text)")
                let complete = try await bed.server.call("complete", ["sessionId": id])
                #expect(complete.status == 200)
            }
        }

        @Test(.timeLimit(.minutes(15))) func completeMultipartConfirmsAMultipartUpload() async throws {
            try await S3TestBed.run(.moto) { bed in
                let bytes = randomBytes(11 * mib, seed: 32)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "photo.jpg", partSize: 5 * Int64(mib))
                for (number, etag) in etags {
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etag, "size": number == 3 ? mib : 5 * mib])
                }
                // The multipart upload completes at S3, but upman's own transaction after it was lost.
                let session = try await bed.session(id)
                let parts = try await bed.server.store.reader.parts(sessionId: id)
                _ = try await bed.storage.complete(StorageUpload(session), parts: parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag!) })
                #expect(try await bed.session(id).status == .uploading)
                let reply = try await Self.deliver(bed.server, try Self.fixture("complete-multipart.json", key: session.objectKey))
                #expect(reply.status == 200 && reply.json["applied"] as? Int == 1, "\(reply.text)")
                try await bed.waitFor(id, .completed)
                #expect(S3TestBed.sha256(try await bed.object(session.objectKey)) == S3TestBed.sha256(bytes))
            }
        }

        @Test(.timeLimit(.minutes(15))) func removedMarksACompletedObjectGone() async throws {
            try await S3TestBed.run(.moto) { bed in
                let (id, key, _) = try await pendingSinglePut(bed, seed: 33)
                _ = try await Self.deliver(bed.server, try Self.fixture("put.json", key: key))
                try await bed.waitFor(id, .completed)
                // A stale removal (the object is there) changes nothing.
                let stale = try await Self.deliver(bed.server, try Self.fixture("removed-delete.json", key: key))
                #expect(stale.status == 200 && stale.json["applied"] as? Int == 0)
                #expect(try await bed.session(id).error == nil)
                try await bed.storage.delete(key: key)
                let reply = try await Self.deliver(bed.server, try Self.fixture("removed-delete.json", key: key))
                #expect(reply.status == 200 && reply.json["applied"] as? Int == 1, "\(reply.text)")
                let session = try await bed.session(id)
                #expect(session.status == .completed, "COMPLETED is terminal; the removal is recorded on it")
                #expect(session.error?.code == "objectRemoved")
                let again = try await Self.deliver(bed.server, try Self.fixture("removed-delete.json", key: key))
                #expect(again.json["applied"] as? Int == 0)
            }
        }

        @Test(.timeLimit(.minutes(15))) func unknownKeyIsAcknowledgedAndChangesNothing() async throws {
            try await S3TestBed.run(.moto) { bed in
                let (id, _, _) = try await pendingSinglePut(bed, seed: 34)
                let before = try await bed.server.store.reader.latestEventId()
                let reply = try await Self.deliver(bed.server, try Self.fixture("unknown-key.json"))
                #expect(reply.status == 200 && reply.json["unknown"] as? Int == 1, "\(reply.text)")
                #expect(try await bed.server.store.reader.latestEventId() == before)
                #expect(try await bed.session(id).status == .pending)
            }
        }

        @Test(.timeLimit(.minutes(15))) func keyWithSpacesAndUnicodeIsDecoded() async throws {
            try await S3TestBed.run(.moto) { bed in
                let key = "admin/grp_demo/ses_demo/Quarterly Report ünï 日本+1.pdf"
                let bytes = Data("%PDF-1.4 tiny file\n".utf8)
                let session = UploadSession(
                    id: "ses_demo", groupId: "grp_demo", userId: "admin", fileName: "Quarterly Report ünï 日本+1.pdf",
                    size: Int64(bytes.count), objectKey: key, method: .single, partSize: Int64(bytes.count), totalParts: 1, createdAt: Date())
                try await bed.server.store.transaction(actedBy: "test") { tx in
                    try tx.groups.create(UploadGroup(id: "grp_demo", userId: "admin", name: "demo", createdAt: tx.now))
                    try tx.sessions.create(session)
                }
                let url = try bed.storage.partURL(StorageUpload(session), part: StorageUpload(session).plan.part(1)!, expiresAt: Date().addingTimeInterval(60))
                _ = try await bed.put(url.absoluteString, bytes)
                let reply = try await Self.deliver(bed.server, try Self.fixture("put-unicode-key.json"))
                #expect(reply.status == 200 && reply.json["applied"] as? Int == 1, "\(reply.text)")
                try await bed.waitFor("ses_demo", .completed)
            }
        }

        /// The normalised end state of a session: status, error code, part statuses.
        func endState(_ bed: S3TestBed, _ id: String) async throws -> String {
            let session = try await bed.session(id)
            let parts = try await bed.server.store.reader.parts(sessionId: id).map { "\($0.partNumber):\($0.status.rawValue)" }
            return "\(session.status.rawValue) \(session.error?.code ?? "-") \(parts)"
        }

        @Test(.timeLimit(.minutes(15))) func duplicatedAndShuffledDeliveriesEndTheSame() async throws {
            try await S3TestBed.run(.moto) { bed in
                let put = "put.json", removed = "removed-delete.json"
                // The object is in the bucket: whatever the order, the upload is confirmed once and a stale
                // removal is ignored.
                var present: Set<String> = []
                for order in [[put, put, removed], [put, removed, put], [removed, put, put], [removed, removed, put, put]] {
                    let (id, key, _) = try await pendingSinglePut(bed, seed: 35)
                    for name in order {
                        let reply = try await Self.deliver(bed.server, try Self.fixture(name, key: key))
                        #expect(reply.status == 200, "\(reply.text)")
                    }
                    try await bed.waitFor(id, .completed)
                    present.insert(try await endState(bed, id))
                }
                #expect(present == ["COMPLETED - [\"1:UPLOADED\"]"], "\(present)")
                // The object was uploaded, then deleted: in any order the session ends COMPLETED (terminal)
                // with the removal recorded, however often each event comes.
                var gone: Set<String> = []
                for order in [[put, removed], [removed, put], [put, removed, removed, put], [removed, put, removed]] {
                    let (id, key, _) = try await pendingSinglePut(bed, seed: 36)
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 1, "etag": try await bed.storage.objectInfo(key: key)!.etag!, "size": 1000])
                    _ = try await bed.server.ok("complete", ["sessionId": id])
                    try await bed.waitFor(id, .completed)
                    try await bed.storage.delete(key: key)
                    for name in order {
                        let reply = try await Self.deliver(bed.server, try Self.fixture(name, key: key))
                        #expect(reply.status == 200, "\(reply.text)")
                    }
                    gone.insert(try await endState(bed, id))
                }
                #expect(gone == ["COMPLETED objectRemoved [\"1:UPLOADED\"]"], "\(gone)")
            }
        }

        /// A flood: forty uploads' events, each delivered two to five times, shuffled, sixteen at
        /// once, with unknown keys mixed in. Every reply is 200 and every upload ends exactly as one
        /// orderly delivery leaves it.
        @Test(.timeLimit(.minutes(15))) func aFloodOfDuplicatesAndReorderingsEndsTheSame() async throws {
            try await S3TestBed.run(.moto) { bed in
                var rng = SeededGenerator(seed: 77)
                var present: [String] = []
                var gone: [String] = []
                var deliveries: [Data] = []
                for index in 0..<40 {
                    let (id, key, _) = try await pendingSinglePut(bed, seed: 100 + UInt64(index))
                    var names = ["put.json"]
                    if index % 2 == 1 {
                        // Uploaded, confirmed, then removed from the bucket.
                        _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 1, "etag": try await bed.storage.objectInfo(key: key)!.etag!, "size": 1000])
                        _ = try await bed.server.ok("complete", ["sessionId": id])
                        try await bed.waitFor(id, .completed)
                        try await bed.storage.delete(key: key)
                        names.append("removed-delete.json")
                        gone.append(id)
                    } else {
                        // Still in the bucket: a removal event for it is stale and must be ignored.
                        names.append("removed-delete.json")
                        present.append(id)
                    }
                    for name in names {
                        let body = try Self.fixture(name, key: key)
                        deliveries += Array(repeating: body, count: Int.random(in: 2...5, using: &rng))
                    }
                }
                for index in 0..<10 {
                    deliveries.append(try Self.fixture("put.json", key: "admin/grp_none/ses_none\(index)/x.bin"))
                }
                deliveries.shuffle(using: &rng)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    var statuses: [Int] = []
                    var next = deliveries.makeIterator()
                    for _ in 0..<16 {
                        guard let body = next.next() else { break }
                        group.addTask { try await Self.deliver(bed.server, body).status }
                    }
                    while let status = try await group.next() {
                        statuses.append(status)
                        if let body = next.next() { group.addTask { try await Self.deliver(bed.server, body).status } }
                    }
                    return statuses
                }
                #expect(statuses.count == deliveries.count)
                #expect(Set(statuses) == [200], "\(Dictionary(grouping: statuses) { $0 }.mapValues(\.count))")
                for id in present { try await bed.waitFor(id, .completed) }
                var presentStates: Set<String> = []
                for id in present { presentStates.insert(try await endState(bed, id)) }
                var goneStates: Set<String> = []
                for id in gone { goneStates.insert(try await endState(bed, id)) }
                #expect(presentStates == ["COMPLETED - [\"1:UPLOADED\"]"])
                #expect(goneStates == ["COMPLETED objectRemoved [\"1:UPLOADED\"]"])
                #expect(try await bed.server.store.reader.audit() == [])
            }
        }
    }
}

/// The webhook's door: tokens and bodies, on the embedded store (no S3 needed).
@Suite struct StorageWebhookAuthTests {
    @Test func tokensAndBodies() async throws {
        let server = try await TestServer.start()
        let body = try S3Suites.StorageWebhookTests.fixture("unknown-key.json")
        let missing = try await server.send(.POST, "/api/v1/storage-webhook", body: body)
        #expect(missing.status == 401 && missing.errorCode == "unauthorized")
        let bad = try await S3Suites.StorageWebhookTests.deliver(server, body, token: "not-a-token")
        #expect(bad.status == 401 && bad.errorCode == "unauthorized")
        let user = try await S3Suites.StorageWebhookTests.deliver(server, body, token: try server.userToken("bob"))
        #expect(user.status == 403 && user.errorCode == "forbidden")
        let admin = try await S3Suites.StorageWebhookTests.deliver(server, body)
        #expect(admin.status == 200 && admin.json["unknown"] as? Int == 1, "\(admin.text)")
        let malformed = try await S3Suites.StorageWebhookTests.deliver(server, Data("{\"Records\": [".utf8))
        #expect(malformed.status == 400 && malformed.errorCode == "badRequest")
        let notJSON = try await S3Suites.StorageWebhookTests.deliver(server, Data("EventName=s3:ObjectCreated:Put".utf8))
        #expect(notJSON.status == 400 && notJSON.errorCode == "badRequest")
        await server.finish()
    }

    @Test func aConfiguredWebhookTokenIsTheOnlyOne() async throws {
        let server = try await TestServer.start { $0.webhookToken = "hook-secret" }
        let body = try S3Suites.StorageWebhookTests.fixture("unknown-key.json")
        let admin = try await S3Suites.StorageWebhookTests.deliver(server, body)
        #expect(admin.status == 401 && admin.errorCode == "unauthorized")
        let hook = try await S3Suites.StorageWebhookTests.deliver(server, body, token: "hook-secret")
        #expect(hook.status == 200, "\(hook.text)")
        await server.finish()
    }
}
