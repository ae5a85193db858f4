import Foundation
import Testing
import TestSupport
import UploadModel

/// Integrity end to end against a real `upman serve`: parts carry CRC-32C, the whole object's
/// checksum is combined from them, mismatches are refused and retriable, and a part answered 200
/// survives a SIGKILL of the server that answered it.
@Suite struct AcknowledgedPartTests {
    static let partSize = 5 << 20

    @Test func acknowledgedPartsSurviveAKillAndTheObjectChecksumIsCombinedFromThem() async throws {
        let folder = try TemporaryFolder()
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let calls = ControllerCalls(url: server.url, token: token)
        var rng = SeededGenerator(seed: 14)
        let bytes = (0..<(2 * Self.partSize + 1234)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let ranges = [0..<Self.partSize, Self.partSize..<2 * Self.partSize, 2 * Self.partSize..<bytes.count]
        let crcs = ranges.map { CRC32C.checksum(bytes[$0]) }

        let initiated = try await calls.call([
            "action": "initiate", "fileName": "killed.bin", "size": bytes.count, "partSize": Self.partSize,
        ])
        let session = try #require(initiated["session"] as? [String: Any])
        let sessionId = try #require(session["id"] as? String)
        #expect(initiated["totalParts"] as? Int == 3)
        let signed = try await calls.call(["action": "signParts", "sessionId": sessionId, "partNumbers": [1, 2, 3]])
        let urls = try #require(signed["parts"] as? [[String: Any]]).compactMap { $0["url"] as? String }
        #expect(urls.count == 3)

        // A part whose bytes do not match their CRC-32C is refused and can be sent again.
        let wrong = try await calls.put(urls[0], bytes: Array(bytes[ranges[0]]), crc32c: CRC32C.base64(crcs[0] ^ 1))
        #expect(wrong == 422)
        for number in [1, 2] {
            let status = try await calls.put(urls[number - 1], bytes: Array(bytes[ranges[number - 1]]), crc32c: CRC32C.base64(crcs[number - 1]))
            #expect(status == 200)
        }
        // Killed right after the answers: what was acknowledged is recorded, with its checksum.
        try await server.kill()
        try await server.start()
        let status = try await calls.call(["action": "status", "sessionId": sessionId])
        let parts = try #require((status["sessions"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])
        for part in parts where (part["partNumber"] as? Int ?? 0) <= 2 {
            let number = part["partNumber"] as! Int
            #expect(part["status"] as? String == "UPLOADED")
            #expect(part["checksum"] as? String == CRC32C.base64(crcs[number - 1]))
        }
        // The third part without any checksum header: the store computes its CRC-32C anyway.
        #expect(try await calls.put(urls[2], bytes: Array(bytes[ranges[2]])) == 200)

        // A whole-object checksum the parts do not add up to is refused; the session stays open.
        let whole = CRC32C.checksum(bytes)
        do {
            _ = try await calls.call(["action": "complete", "sessionId": sessionId,
                                      "checksum": ["algorithm": "crc32c", "value": CRC32C.base64(whole ^ 0x10)]])
            Issue.record("a wrong object checksum was accepted")
        } catch let error as ControllerCallError {
            #expect(error.status == 422)
            #expect(error.body.contains("checksumMismatch"))
        }
        let open = try await calls.call(["action": "status", "sessionId": sessionId])
        #expect(((open["sessions"] as? [[String: Any]])?.first?["session"] as? [String: Any])?["status"] as? String == "UPLOADING")

        let completed = try await calls.call(["action": "complete", "sessionId": sessionId,
                                              "checksum": ["algorithm": "crc32c", "value": CRC32C.base64(whole)]])
        let finished = try #require(completed["session"] as? [String: Any])
        let checksum = try #require(finished["checksum"] as? [String: Any])
        #expect(checksum["algorithm"] as? String == "crc32c")
        #expect(checksum["value"] as? String == CRC32C.base64(whole))
        let objectKey = try #require(finished["objectKey"] as? String)
        let stored = try Data(contentsOf: URL(fileURLWithPath: folder.path("data/storage/objects/" + objectKey)))
        #expect(Array(stored) == bytes)
        _ = try await server.stop()
    }
}
