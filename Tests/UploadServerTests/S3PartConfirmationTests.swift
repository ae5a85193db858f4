import Foundation
import ObjectStorage
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// On S3 a part counts as uploaded only when the bucket holds it: `partUploaded` asks ListParts
/// (HeadObject for a single PUT), `complete` audits every part first and reopens the ones S3 does
/// not hold as recorded, and every refusal is a coded 4xx that leaves the session open.
extension S3Suites {
    @Suite struct S3PartConfirmationTests {
        let mib = Int(PartPlanner.mebibyte)

        @Test(.timeLimit(.minutes(3)), arguments: await S3PeerKind.available()) func reportsAreCheckedAgainstListParts(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 71)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "m.bin", partSize: 5 * Int64(mib), parts: [1, 3])
                let madeUp = "\"0123456789abcdef0123456789abcdef\""
                let never = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 2, "etag": madeUp, "size": 5 * mib])
                #expect(never.status == 409 && never.errorCode == "invalidPart", "\(never.text)")
                let wrongTag = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 3, "etag": etags[1]!, "size": mib])
                #expect(wrongTag.status == 409 && wrongTag.errorCode == "invalidPart", "\(wrongTag.text)")
                // S3's tag without its quotes is the same tag; it is recorded as S3 writes it.
                let bare = String(etags[1]!.dropFirst().dropLast())
                let one = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 1, "etag": bare, "size": 5 * mib])
                #expect((one["part"] as? [String: Any])?["etag"] as? String == etags[1]!)
                let weak = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 3, "etag": "W/\(etags[3]!)", "size": mib])
                #expect(weak.status == 422 && weak.errorCode == "invalidArgument")
                let parts = try await bed.server.store.reader.parts(sessionId: id)
                #expect(parts.map(\.status) == [.uploaded, .pending, .pending], "only part 1 was confirmed")
            }
        }

        @Test(.timeLimit(.minutes(3)), arguments: await S3PeerKind.available()) func completeReopensWhatTheBucketDoesNotHoldAndStaysRetriable(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 72)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "c.bin", partSize: 5 * Int64(mib), parts: [1, 3])
                for number in [1, 3] {
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etags[number]!, "size": number == 3 ? mib : 5 * mib])
                }
                // A record that claims part 2 arrived (left by an older server that took the client's word).
                try await bed.server.store.transaction(actedBy: "test", at: Date().addingTimeInterval(-60)) { tx in
                    try tx.parts.markUploaded(sessionId: id, partNumber: 2, etag: "\"0123456789abcdef0123456789abcdef\"")
                }
                let refused = try await bed.server.call("complete", ["sessionId": id])
                #expect(refused.status == 409 && refused.errorCode == "invalidPart", "\(refused.text)")
                #expect(try await bed.session(id).status == .uploading)
                let part2 = try #require(try await bed.server.store.reader.parts(sessionId: id).first { $0.partNumber == 2 })
                #expect(part2.status == .pending && part2.error?.code == "invalidPart", "the uploader's resume sends it again")
                #expect(try await bed.storage.objectInfo(key: try await bed.session(id).objectKey) == nil, "no object with a hole")

                // Sent for real, the same session completes with exactly the file's bytes.
                let signed = try await bed.server.ok("signParts", ["sessionId": id, "partNumbers": [2]])
                let etag = try await bed.put((signed["parts"] as! [[String: Any]])[0]["url"] as! String, bytes.subdata(in: (5 * mib)..<(10 * mib)))
                _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": 2, "etag": etag, "size": 5 * mib])
                _ = try await bed.server.ok("complete", ["sessionId": id])
                try await bed.waitFor(id, .completed)
                #expect(S3TestBed.sha256(try await bed.object(try await bed.session(id).objectKey)) == S3TestBed.sha256(bytes))
            }
        }

        @Test(.timeLimit(.minutes(3)), arguments: await S3PeerKind.available()) func aShortPartIsRefusedBeforeS3SaysEntityTooSmall(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 73)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "s.bin", partSize: 5 * Int64(mib), parts: [2, 3])
                // Part 1 reaches S3 cut short (S3 takes parts of any size until completion).
                let signed = try await bed.server.ok("signParts", ["sessionId": id, "partNumbers": [1]])
                let url = (signed["parts"] as! [[String: Any]])[0]["url"] as! String
                let short = try await bed.put(url, bytes.subdata(in: 0..<mib))
                let report = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": short, "size": 5 * mib])
                #expect(report.status == 409 && report.errorCode == "invalidPart", "\(report.text)")
                for number in [2, 3] {
                    _ = try await bed.server.ok("partUploaded", ["sessionId": id, "partNumber": number, "etag": etags[number]!, "size": number == 3 ? mib : 5 * mib])
                }
                let refused = try await bed.server.call("complete", ["sessionId": id])
                #expect(refused.status == 409, "\(refused.text)")
                #expect(try await bed.session(id).status == .uploading)
                _ = try await bed.put(url, bytes.subdata(in: 0..<(5 * mib)))
                _ = try await bed.server.ok("complete", ["sessionId": id])
                try await bed.waitFor(id, .completed)
                #expect(S3TestBed.sha256(try await bed.object(try await bed.session(id).objectKey)) == S3TestBed.sha256(bytes))
            }
        }

        @Test(.timeLimit(.minutes(3)), arguments: await S3PeerKind.available()) func aSinglePutIsConfirmedByHeadObject(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(1000, seed: 74)
                let initiated = try await bed.server.ok("initiate", ["fileName": "one.bin", "size": bytes.count])
                let id = (initiated["session"] as! [String: Any])["id"] as! String
                let report = try await bed.server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": "\"0123456789abcdef0123456789abcdef\"", "size": 1000])
                #expect(report.status == 409 && report.errorCode == "invalidPart", "\(report.text)")
                let early = try await bed.server.call("complete", ["sessionId": id])
                #expect(early.status == 409 && early.errorCode == "invalidPart", "\(early.text)")
                #expect(try await bed.session(id).status == .pending)
                _ = try await bed.put(initiated["url"] as! String, bytes)
                _ = try await bed.server.ok("complete", ["sessionId": id])
                try await bed.waitFor(id, .completed)
                #expect(try await bed.object(try await bed.session(id).objectKey) == bytes)
            }
        }
    }
}
