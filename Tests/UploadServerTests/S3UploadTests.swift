import TestSupport
import Foundation
import ObjectStorage
import Testing
import UploadClient
import UploadModel
import UploadStore
@testable import UploadServer

/// Uploads through `upman serve` with S3 storage, against each S3 peer (moto and SeaweedFS): the real uploader, abort, cancel,
/// resume, and keys S3 must see encoded right.
extension S3Suites {
    @Suite struct S3UploadTests {
        let mib = Int(PartPlanner.mebibyte)

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func singleAndMultipartThroughTheUploader(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let small = randomBytes(300_000, seed: 11)
                let large = randomBytes(11 * mib, seed: 12)
                let files = try [bed.file("small.bin", small), bed.file("large.bin", large)]
                let uploader = Uploader(client: bed.client, options: UploadOptions(groupName: "s3", partSize: 5 * Int64(mib)))
                let outcome = try await uploader.run(files)
                #expect(outcome.succeeded, "\(outcome.files.map { "\($0.name): \($0.state) \($0.reason ?? "")" })")
                for (bytes, result) in zip([small, large], outcome.files) {
                    let session = try await bed.session(try #require(result.sessionId))
                    #expect(session.status == .completed)
                    let stored = try await bed.object(session.objectKey)
                    #expect(S3TestBed.sha256(stored) == S3TestBed.sha256(bytes), "\(session.fileName)")
                    let jobs = try await bed.server.store.reader.jobs(sessionId: session.id)
                    #expect(jobs.first { $0.kind == "sha256" }?.output == S3TestBed.sha256(bytes), "the sha256 job read the object from S3")
                }
                let large0 = try await bed.session(outcome.files[1].sessionId!)
                #expect(large0.method == .multipart && large0.totalParts == 3 && large0.uploadId != nil)
                let parts = try await bed.server.store.reader.parts(sessionId: large0.id)
                #expect(parts.allSatisfy { $0.etag?.hasPrefix("\"") == true }, "S3's part ETags are recorded as S3 sent them")
                #expect(try await bed.session(outcome.files[0].sessionId!).method == .single)
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func abortDropsTheMultipartUpload(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 13)
                let (id, _) = try await bed.initiateAndSend(bytes, name: "a.bin", partSize: 5 * Int64(mib), parts: [1])
                let upload = StorageUpload(try await bed.session(id))
                #expect(try await bed.storage.uploadedParts(upload)?.map(\.partNumber) == [1])
                _ = try await bed.server.ok("abort", ["sessionId": id])
                #expect(try await bed.session(id).status == .cancelled)
                await #expect(throws: UploadError.self) { _ = try await bed.storage.uploadedParts(upload) }
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func cancelRemovesASinglePut(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(1000, seed: 14)
                let (id, _) = try await bed.initiateAndSend(bytes, name: "c.bin")
                let key = try await bed.session(id).objectKey
                #expect(try await bed.storage.objectInfo(key: key)?.size == 1000)
                _ = try await bed.server.ok("cancel", ["sessionId": id])
                #expect(try await bed.session(id).status == .cancelled)
                #expect(try await bed.storage.objectInfo(key: key) == nil)
                let late = try await bed.server.call("complete", ["sessionId": id])
                #expect(late.status == 409)
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func resumeSendsOnlyTheMissingParts(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 15)
                let file = try bed.file("r.bin", bytes)
                // A first uploader got part 2 to S3 and reported it, then died.
                let group = try await bed.server.ok("createGroup", ["name": "resume"])
                let groupId = (group["group"] as! [String: Any])["id"] as! String
                let initiated = try await bed.server.ok("initiate", ["groupId": groupId, "fileName": "r.bin", "size": bytes.count, "partSize": 5 * mib])
                let id = (initiated["session"] as! [String: Any])["id"] as! String
                let signed = try await bed.server.ok("signParts", ["sessionId": id, "partNumbers": [2]])
                let part = (signed["parts"] as! [[String: Any]])[0]
                let etag = try await bed.put(part["url"] as! String, bytes.subdata(in: 5 * mib..<10 * mib))
                _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 2, "etag": etag, "size": 5 * mib])

                let uploader = Uploader(client: bed.client, options: UploadOptions(groupName: "resume", resumeId: groupId))
                let outcome = try await uploader.run([file])
                #expect(outcome.succeeded, "\(outcome.files.map { "\($0.state) \($0.reason ?? "")" })")
                let parts = try await bed.server.store.reader.parts(sessionId: id)
                #expect(parts.first { $0.partNumber == 2 }?.attempts == 1, "part 2 was not sent again")
                #expect(try await bed.session(id).status == .completed)
                #expect(S3TestBed.sha256(try await bed.object(try await bed.session(id).objectKey)) == S3TestBed.sha256(bytes))
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func execJobGetsALocalCopyOfTheObject(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer, { config in
                config.jobs = ["exec"]
                config.execCommand = "/usr/bin/sha256sum"
            }) { bed in
                let bytes = randomBytes(11 * mib, seed: 16)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "x.bin", partSize: 5 * Int64(mib))
                for (number, etag) in etags {
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etag, "size": number == 3 ? mib : 5 * mib])
                }
                _ = try await bed.server.ok("complete", ["sessionId": id])
                try await bed.waitFor(id, .completed)
                let output = try #require(try await bed.server.store.reader.jobs(sessionId: id).first?.output)
                #expect(output.hasPrefix(S3TestBed.sha256(bytes)), "\(output)")
                let path = try #require(output.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
                #expect(!FileManager.default.fileExists(atPath: path), "the downloaded copy is removed after the job")
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func keysWithSpacesPlusPercentAndUnicodeRoundTrip(_ peer: S3PeerKind) async throws {
            try await peer.with { server in
                let storage = try await server.storage()
                let key = "dir one/a+b%20c/ünïcødé 日本.txt"
                let bytes = Data("hello, encoded keys".utf8)
                let upload = StorageUpload(sessionId: "ses_k", objectKey: key, plan: PartPlan(fileSize: Int64(bytes.count), method: .single, partSize: Int64(bytes.count), totalParts: 1))
                let url = try storage.partURL(upload, part: upload.plan.part(1)!, expiresAt: Date().addingTimeInterval(60))
                var request = HTTPClientRequestBuilder.put(url, bytes)
                request.headers.add(name: "Content-Type", value: "application/octet-stream")
                let response = try await S3Storage.sharedHTTPClient.execute(request, timeout: .seconds(Patience.requestSeconds))
                #expect(response.status.code == 200)
                #expect(try await storage.objectInfo(key: key)?.size == Int64(bytes.count))
                #expect(try await storage.complete(upload, parts: []) != "")
                var read = Data()
                try await storage.read(key: key) { read.append($0); return true }
                #expect(read == bytes)
                let local = try await storage.localFile(key: key)
                #expect(try Data(contentsOf: local.url) == bytes && local.temporary)
                try? FileManager.default.removeItem(at: local.url)
                try await storage.delete(key: key)
                #expect(try await storage.objectInfo(key: key) == nil)
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func listPartsFollowsPagesOfAThousand(_ peer: S3PeerKind) async throws {
            try await peer.with { server in
                let storage = try await server.storage()
                let count = 1_003
                let upload = StorageUpload(sessionId: "ses_p", objectKey: "paged/parts.bin",
                                           plan: PartPlan(fileSize: Int64(count), method: .multipart, partSize: 1, totalParts: count))
                var begun = upload
                begun.uploadId = try await storage.begin(upload)
                let started = begun
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<4 {
                        group.addTask {
                            for number in stride(from: 1 + lane, through: count, by: 4) {
                                let url = try storage.partURL(started, part: started.plan.part(number)!, expiresAt: Date().addingTimeInterval(300))
                                let response = try await S3Storage.sharedHTTPClient.execute(HTTPClientRequestBuilder.put(url, Data([1])), timeout: .seconds(Patience.requestSeconds))
                                _ = try await response.body.collect(upTo: 1 << 16)
                                guard response.status.code == 200 else { throw S3PeerError("part \(number): \(response.status)") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let parts = try #require(try await storage.uploadedParts(started))
                #expect(parts.count == count)
                #expect(parts.map(\.partNumber) == Array(1...count))
                try await storage.abort(started)
            }
        }
    }
}
