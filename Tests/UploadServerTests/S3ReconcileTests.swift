import Foundation
import Logging
import ObjectStorage
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// The reconciler against each S3 peer: a vanished upload id expires the session with its reason; bytes
/// that all arrived without a `complete` are finished from ListParts (or HeadObject).
extension S3Suites {
    @Suite struct S3ReconcileTests {
        let mib = Int(PartPlanner.mebibyte)

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func noSuchUploadExpiresTheSessionWithItsReason(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 21)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "gone.bin", partSize: 5 * Int64(mib), parts: [1, 2, 3])
                for (number, etag) in etags {
                    let size = number == 3 ? mib : 5 * mib
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etag, "size": size])
                }
                // Behind upman's back, the upload id vanishes (as MinIO does with stale uploads after 24 h).
                try await bed.storage.abort(StorageUpload(try await bed.session(id)))
                let actions = try await bed.server.server.reconciler.reconcile(now: Date().addingTimeInterval(60))
                #expect(actions.contains(Reconciler.Action(sessionId: id, action: "expired")))
                let session = try await bed.session(id)
                #expect(session.status == .expired)
                #expect(session.error?.code == "uploadGone")
                #expect(session.error?.message.contains("NoSuchUpload") == true, "\(session.error?.message ?? "")")
                #expect(try await bed.storage.objectInfo(key: session.objectKey) == nil, "nothing was taken for a finished object")
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func completeOfAVanishedUploadExpiresToo(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 22)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "gone2.bin", partSize: 5 * Int64(mib))
                for (number, etag) in etags {
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etag, "size": number == 3 ? mib : 5 * mib])
                }
                try await bed.storage.abort(StorageUpload(try await bed.session(id)))
                let reply = try await bed.server.call("complete", ["sessionId": id])
                #expect(reply.status == 409, "\(reply.text)")
                #expect(reply.text.contains("NoSuchUpload"))
                #expect(try await bed.session(id).status == .expired)
                #expect(try await bed.session(id).error?.code == "uploadGone")
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func lostCompleteIsFinishedFromListParts(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 23)
                // Every part reached S3, only part 1 was reported, and `complete` never came.
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "lost.bin", partSize: 5 * Int64(mib))
                _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 1, "etag": etags[1]!, "size": 5 * mib])
                // Within the grace period nothing happens.
                let early = Reconciler(controller: bed.server.server.controller, grace: 3600)
                #expect(try await early.reconcile(now: Date()).isEmpty)
                #expect(try await bed.session(id).status == .uploading)

                let actions = try await bed.server.server.reconciler.reconcile(now: Date().addingTimeInterval(60))
                #expect(actions.contains(Reconciler.Action(sessionId: id, action: "finished")))
                try await bed.waitFor(id, .completed)
                let session = try await bed.session(id)
                #expect(session.completedParts == 3)
                #expect(S3TestBed.sha256(try await bed.object(session.objectKey)) == S3TestBed.sha256(bytes))
                #expect(try await bed.server.server.reconciler.reconcile(now: Date().addingTimeInterval(60)).isEmpty, "a second pass changes nothing")
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func lostSinglePutIsFinishedFromHeadObject(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(200_000, seed: 24)
                let initiated = try await bed.server.ok("initiate", ["fileName": "one.bin", "size": bytes.count])
                let id = (initiated["session"] as! [String: Any])["id"] as! String
                _ = try await bed.put(initiated["url"] as! String, bytes)
                try await bed.server.server.sweeper.sweep(now: Date().addingTimeInterval(60))
                try await bed.waitFor(id, .completed)
                #expect(try await bed.server.store.reader.parts(sessionId: id).first?.etag != nil)
            }
        }
    }
}
