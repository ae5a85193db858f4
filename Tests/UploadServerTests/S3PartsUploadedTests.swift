import Foundation
import ObjectStorage
import Testing
import UploadClient
import UploadModel
import UploadStore
@testable import UploadServer

/// `partsUploaded` on S3, against each peer: one ListParts decides the whole report, a report with
/// any bad entry records nothing, repeats are answered as recorded, and the uploader reports its
/// parts this way instead of one `partUploaded` per part.
extension S3Suites {
    @Suite struct S3PartsUploadedTests {
        let mib = Int(PartPlanner.mebibyte)

        func entry(_ number: Int, _ etag: String, _ size: Int, checksum: String? = nil) -> [String: Any] {
            var entry: [String: Any] = ["partNumber": number, "etag": etag, "size": size]
            if let checksum { entry["checksum"] = checksum }
            return entry
        }

        @Test(.timeLimit(.minutes(5)), arguments: await S3PeerKind.available()) func aReportIsCheckedWholeAgainstListParts(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                let bytes = randomBytes(11 * mib, seed: 81)
                let (id, etags) = try await bed.initiateAndSend(bytes, name: "b.bin", partSize: 5 * Int64(mib), parts: [1, 3])
                let madeUp = "\"0123456789abcdef0123456789abcdef\""
                func report(_ parts: [[String: Any]]) async throws -> TestServer.Reply {
                    try await bed.server.call("partsUploaded", ["sessionId": id, "parts": parts])
                }
                func statuses() async throws -> [PartStatus] {
                    try await bed.server.store.reader.parts(sessionId: id).map(\.status)
                }

                // Part 2 never reached S3: the report is refused whole, parts 1 and 3 stay unrecorded.
                let missing = try await report([entry(1, etags[1]!, 5 * mib), entry(2, madeUp, 5 * mib), entry(3, etags[3]!, mib)])
                #expect(missing.status == 409 && missing.errorCode == "invalidPart", "\(missing.text)")
                #expect(missing.text.contains("part 2"))
                let wrongTag = try await report([entry(1, etags[1]!, 5 * mib), entry(3, etags[1]!, mib)])
                #expect(wrongTag.status == 409 && wrongTag.errorCode == "invalidPart", "\(wrongTag.text)")
                #expect(try await statuses() == [.pending, .pending, .pending], "nothing of a refused report is recorded")

                // Bad entries are 4xx naming the entry, before S3 is asked.
                let bad: [(String, [[String: Any]], Int, String)] = [
                    ("twice", [entry(1, etags[1]!, 5 * mib), entry(1, etags[1]!, 5 * mib)], 422, "invalidArgument"),
                    ("outside the plan", [entry(4, etags[1]!, 5 * mib)], 422, "invalidArgument"),
                    ("part number 0", [entry(0, etags[1]!, 5 * mib)], 422, "invalidArgument"),
                    ("wrong size", [entry(3, etags[3]!, 5 * mib)], 422, "invalidArgument"),
                    ("weak tag", [entry(1, "W/\(etags[1]!)", 5 * mib)], 422, "invalidArgument"),
                    ("empty tag", [entry(1, "", 5 * mib)], 422, "invalidArgument"),
                    ("none", [], 422, "invalidArgument"),
                    ("checksum not base64 of 4 bytes", [entry(1, etags[1]!, 5 * mib, checksum: "AAAAAAAA")], 400, "badRequest"),
                    ("checksum of 5 bytes", [entry(1, etags[1]!, 5 * mib, checksum: "AAAAAAA=")], 400, "badRequest"),
                    ("checksum not base64", [entry(1, etags[1]!, 5 * mib, checksum: "!!!!!!==")], 400, "badRequest"),
                    ("no etag", [["partNumber": 1, "size": 5 * mib]], 400, "badRequest"),
                ]
                for (what, parts, status, code) in bad {
                    let reply = try await report(parts)
                    #expect(reply.status == status && reply.errorCode == code, "\(what): \(reply.status) \(reply.text)")
                }
                let tooMany = (1...10_001).map { entry($0, madeUp, 5 * mib) }
                let many = try await report(tooMany)
                #expect(many.status == 422 && many.errorCode == "invalidArgument", "\(many.text)")
                #expect(try await statuses() == [.pending, .pending, .pending])

                // A good report, tags quoted or not, a CRC32C on one: recorded in the order given.
                let bare = String(etags[3]!.dropFirst().dropLast())
                let good = try await bed.server.ok("partsUploaded", ["sessionId": id, "parts": [
                    entry(3, bare, mib, checksum: "yZRlqg=="), entry(1, etags[1]!, 5 * mib),
                ]])
                let answered = try #require(good["parts"] as? [[String: Any]])
                #expect(answered.map { $0["partNumber"] as? Int } == [3, 1])
                #expect(answered.map { $0["etag"] as? String } == [etags[3]!, etags[1]!], "recorded as S3 writes them")
                #expect(try await statuses() == [.uploaded, .pending, .uploaded])
                // The same report again changes nothing.
                let recorded = try await bed.server.store.reader.parts(sessionId: id)
                let again = try await bed.server.ok("partsUploaded", ["sessionId": id, "parts": [entry(1, etags[1]!, 5 * mib), entry(3, etags[3]!, mib)]])
                #expect((again["parts"] as? [[String: Any]])?.count == 2)
                #expect(try await bed.server.store.reader.parts(sessionId: id) == recorded)

                // Part 2 sent for real; the session completes, and a late repeat is answered as recorded.
                let signed = try await bed.server.ok("signParts", ["sessionId": id, "partNumbers": [2]])
                let etag2 = try await bed.put((signed["parts"] as! [[String: Any]])[0]["url"] as! String, bytes.subdata(in: (5 * mib)..<(10 * mib)))
                _ = try await bed.server.ok("partsUploaded", ["sessionId": id, "parts": [entry(2, etag2, 5 * mib)]])
                _ = try await bed.server.ok("complete", ["sessionId": id])
                try await bed.waitFor(id, .completed)
                let late = try await bed.server.ok("partsUploaded", ["sessionId": id, "parts": [
                    entry(1, etags[1]!, 5 * mib), entry(2, etag2, 5 * mib), entry(3, etags[3]!, mib),
                ]])
                #expect((late["parts"] as? [[String: Any]])?.count == 3)
                #expect(S3TestBed.sha256(try await bed.object(try await bed.session(id).objectKey)) == S3TestBed.sha256(bytes))
                #expect(try await bed.server.store.reader.audit() == [])
            }
        }

        @Test(.timeLimit(.minutes(5)), arguments: await S3PeerKind.available()) func theUploaderReportsPartsInBatches(_ peer: S3PeerKind) async throws {
            try await S3TestBed.run(peer) { bed in
                // 21 MiB in 5 MiB parts: five parts, sent two at a time.
                let bytes = randomBytes(21 * mib, seed: 82)
                let uploader = Uploader(client: bed.client, options: UploadOptions(groupName: "batches", partSize: 5 * Int64(mib), concurrency: 2))
                let outcome = try await uploader.run([try bed.file("five.bin", bytes)])
                #expect(outcome.succeeded, "\(outcome.files.map { "\($0.state) \($0.reason ?? "")" })")
                let session = try await bed.session(try #require(outcome.files.first?.sessionId))
                #expect(session.totalParts == 5 && session.status == .completed)
                let metrics = try await bed.server.send(.GET, "/metrics").text
                func count(_ action: String) -> Int {
                    let prefix = #"upman_controller_requests_total{action="\#(action)",outcome="ok"} "#
                    return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? -1
                }
                #expect(count("partUploaded") == 0, "no report of one part")
                #expect((1...5).contains(count("partsUploaded")), "at most one report per part: \(count("partsUploaded"))")
                #expect(S3TestBed.sha256(try await bed.object(session.objectKey)) == S3TestBed.sha256(bytes))
            }
        }
    }
}
