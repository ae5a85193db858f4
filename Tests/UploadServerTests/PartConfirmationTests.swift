import Crypto
import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// On the disk store a part counts as uploaded only when the store received it: a client's word
/// (`partUploaded`) for a part that never arrived is refused with a code, `complete` refuses while
/// a part is missing, and a COMPLETED session's object is exactly the bytes that were received.
@Suite struct PartConfirmationTests {
    let mib = Int(PartPlanner.mebibyte)

    func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func part(_ server: TestServer, _ id: String, _ number: Int) async throws -> FilePart {
        try #require(try await server.store.reader.parts(sessionId: id).first { $0.partNumber == number })
    }

    @Test func aReportOfAPartThatNeverArrivedIsRefusedAndCompleteWaitsForIt() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(10 * mib, seed: 51)
        let initiated = try await server.ok("initiate", ["fileName": "f.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        #expect(initiated["totalParts"] as? Int == 2)
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1, 2]])
        let urls = (signed["parts"] as! [[String: Any]]).map { $0["url"] as! String }
        #expect(try await server.put(urls[0], bytes.subdata(in: 0..<(8 * mib))).status == 200)

        // Part 2 never arrived; a buggy client reports it anyway, with any ETag, quoted or not.
        for etag in ["\"0123456789abcdef0123456789abcdef\"", "0123456789abcdef0123456789abcdef"] {
            let report = try await server.call("partUploaded", ["sessionId": id, "partNumber": 2, "etag": etag, "size": 2 * mib])
            #expect(report.status == 409 && report.errorCode == "invalidPart", "\(report.status) \(report.text)")
        }
        let wrongSize = try await server.call("partUploaded", ["sessionId": id, "partNumber": 2, "etag": "\"x\"", "size": 8 * mib])
        #expect(wrongSize.status == 422 && wrongSize.errorCode == "invalidArgument")
        #expect(try await part(server, id, 2).status == .pending, "nothing was recorded")

        let early = try await server.call("complete", ["sessionId": id])
        #expect(early.status == 409 && early.errorCode == "conflict", "\(early.text)")
        let session = try #require(try await server.store.reader.session(id))
        #expect(session.status == .uploading && session.completedParts == 1)
        let object = server.folder.appendingPathComponent("storage/objects").appendingPathComponent(session.objectKey)
        #expect(!FileManager.default.fileExists(atPath: object.path), "no object was finished with a hole")

        // The session stays retriable: once part 2 really arrives, it completes with the right bytes.
        #expect(try await server.put(urls[1], bytes.subdata(in: (8 * mib)..<bytes.count)).status == 200)
        let confirmed = try await server.call("partUploaded", ["sessionId": id, "partNumber": 2, "etag": try await part(server, id, 2).etag!, "size": 2 * mib])
        #expect(confirmed.status == 200, "\(confirmed.text)")
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        #expect(sha256(try Data(contentsOf: object)) == sha256(bytes))
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// `partsUploaded` on the disk store only confirms what the receiver recorded, all or nothing.
    @Test func aBatchReportConfirmsOnlyWhatTheReceiverRecorded() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(10 * mib, seed: 53)
        let initiated = try await server.ok("initiate", ["fileName": "b.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1, 2]])
        let urls = (signed["parts"] as! [[String: Any]]).map { $0["url"] as! String }
        #expect(try await server.put(urls[0], bytes.subdata(in: 0..<(8 * mib))).status == 200)
        let etag1 = try #require(try await part(server, id, 1).etag)
        let before = try await server.store.reader.parts(sessionId: id)

        let madeUp = "\"0123456789abcdef0123456789abcdef\""
        let withMissing = try await server.call("partsUploaded", ["sessionId": id, "parts": [
            ["partNumber": 1, "etag": etag1, "size": 8 * mib], ["partNumber": 2, "etag": madeUp, "size": 2 * mib],
        ]])
        #expect(withMissing.status == 409 && withMissing.errorCode == "invalidPart", "\(withMissing.text)")
        let wrongTag = try await server.call("partsUploaded", ["sessionId": id, "parts": [["partNumber": 1, "etag": madeUp, "size": 8 * mib]]])
        #expect(wrongTag.status == 409 && wrongTag.errorCode == "invalidPart", "\(wrongTag.text)")
        #expect(try await server.store.reader.parts(sessionId: id) == before, "nothing changed")

        let confirmed = try await server.ok("partsUploaded", ["sessionId": id, "parts": [["partNumber": 1, "etag": etag1, "size": 8 * mib]]])
        #expect((confirmed["parts"] as? [[String: Any]])?.first?["status"] as? String == "UPLOADED")
        #expect(try await part(server, id, 2).status == .pending)
        await server.finish()
    }

    @Test func aSinglePutSessionDoesNotCompleteWithoutItsPut() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(1000, seed: 52)
        let initiated = try await server.ok("initiate", ["fileName": "one.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let md5 = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        // Even the right ETag is refused while the bytes are not in the store.
        let report = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": "\"\(md5)\"", "size": 1000])
        #expect(report.status == 409 && report.errorCode == "invalidPart", "\(report.text)")
        let early = try await server.call("complete", ["sessionId": id])
        #expect(early.status == 409, "\(early.text)")
        #expect(try await server.store.reader.session(id)?.status == .pending)

        let put = try await server.put(initiated["url"] as! String, bytes)
        #expect(put.status == 200)
        // The disk store's ETag is the part's CRC-32C; a report confirms it, quoted or not.
        let etag = try #require(put.headers["ETag"].first)
        _ = try await server.ok("partUploaded", ["sessionId": id, "partNumber": 1, "etag": etag.replacingOccurrences(of: "\"", with: ""), "size": 1000])
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let session = try #require(try await server.store.reader.session(id))
        let object = server.folder.appendingPathComponent("storage/objects").appendingPathComponent(session.objectKey)
        #expect(try Data(contentsOf: object) == bytes)
        await server.finish()
    }
}
