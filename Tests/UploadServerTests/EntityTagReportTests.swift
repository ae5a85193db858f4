import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// A part's ETag reported back with or without its quotes is the same entity tag (RFC 9110
/// §8.8.3); a weak one is refused with a code, and a different one still conflicts.
@Suite struct EntityTagReportTests {
    let mib = Int(PartPlanner.mebibyte)

    @Test func aPartsETagMatchesQuotedOrBareOnTheDiskStore() async throws {
        let server = try await TestServer.start()
        let bytes = randomBytes(10 * mib, seed: 41)
        let initiated = try await server.ok("initiate", ["fileName": "f.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1]])
        let url = (signed["parts"] as! [[String: Any]])[0]["url"] as! String
        let put = try await server.put(url, bytes.subdata(in: 0..<(8 * mib)))
        #expect(put.status == 200)
        let etag = try #require(put.headers["ETag"].first)
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let bare = String(etag.dropFirst().dropLast())

        for sent in [bare, etag] {
            let reply = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": sent, "size": 8 * mib])
            #expect(reply.status == 200, "partUploaded with \(sent): \(reply.status) \(reply.text)")
            #expect((reply.json["part"] as? [String: Any])?["etag"] as? String == etag, "the tag is kept in its quoted form")
        }
        let part = try #require(try await server.store.reader.parts(sessionId: id).first)
        #expect(part.attempts == 1, "reporting the same tag again is no new attempt")

        let weak = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": "W/\(etag)", "size": 8 * mib])
        #expect(weak.status == 422 && weak.errorCode == "invalidArgument", "\(weak.text)")
        #expect(weak.text.contains("weak"))
        for malformed in ["\"\(bare)", "\(bare)\"", "a b"] {
            let reply = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": malformed, "size": 8 * mib])
            #expect(reply.status == 422 && reply.errorCode == "invalidArgument", "\(malformed): \(reply.text)")
        }
        let other = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": "0123456789abcdef0123456789abcdef", "size": 8 * mib])
        #expect(other.status == 409, "\(other.text)")
        #expect(try await server.store.reader.parts(sessionId: id).first?.etag == etag, "nothing was overwritten")
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }
}
