import TestSupport
import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// The disk store's PUT route: only exact, unexpired signed URLs write, and only what was planned.
@Suite struct SignedURLTests {
    func multipart(_ server: TestServer) async throws -> (id: String, urls: [Int: String]) {
        let mib = Int(PartPlanner.mebibyte)
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": 11 * mib, "partSize": 5 * mib])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1, 2, 3]])
        var urls: [Int: String] = [:]
        for part in signed["parts"] as! [[String: Any]] { urls[part["partNumber"] as! Int] = part["url"] as? String }
        return (id, urls)
    }

    func replacing(_ url: String, _ name: String, with value: String) -> String {
        var components = URLComponents(string: url)!
        components.queryItems = components.queryItems!.map { $0.name == name ? URLQueryItem(name: name, value: value) : $0 }
        return components.string!
    }

    @Test func tamperedURLsAreRefusedAndWriteNothing() async throws {
        let server = try await TestServer.start()
        let (id, urls) = try await multipart(server)
        let mib = Int(PartPlanner.mebibyte)
        let part1 = randomBytes(5 * mib)
        let expires = URLComponents(string: urls[1]!)!.queryItems!.first { $0.name == "expires" }!.value!
        let forged = [
            replacing(urls[1]!, "signature", with: String(repeating: "a", count: 64)),
            replacing(urls[1]!, "expires", with: String(Int(expires)! + 100)),
            urls[2]!.replacingOccurrences(of: "/2?", with: "/1?"),
            urls[1]!.replacingOccurrences(of: id, with: "ses_other"),
            String(urls[1]!.split(separator: "?")[0]),
        ]
        for url in forged {
            let reply = try await server.put(url, part1)
            #expect(reply.status == 403 || reply.status == 404, "\(url) → \(reply.status)")
            #expect(reply.errorCode == "forbidden" || reply.errorCode == "notFound")
        }
        let parts = try await server.store.reader.parts(sessionId: id)
        #expect(parts.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        let file = server.folder.appendingPathComponent("storage/uploads/\(id).upload")
        #expect(try Data(contentsOf: file).allSatisfy { $0 == 0 })
        await server.finish()
    }

    @Test func expiredURLIsRefused() async throws {
        let server = try await TestServer.start()
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": 3])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1], "expiresIn": 1])
        let url = (signed["parts"] as! [[String: Any]])[0]["url"] as! String
        try await Task.sleep(for: .seconds(2.1))
        let before = try await server.store.reader.latestEventId()
        let reply = try await server.put(url, Data("abc".utf8))
        #expect(reply.status == 403 && reply.errorCode == "forbidden")
        #expect(try await server.store.reader.parts(sessionId: id).first?.status == .pending)
        // Nothing written: not a byte, not an event.
        let file = server.folder.appendingPathComponent("storage/uploads/\(id).upload")
        #expect(try Data(contentsOf: file) == Data(count: 3))
        #expect(try await server.store.reader.latestEventId() == before)
        await server.finish()
    }

    @Test func oversizedAndShortBodies() async throws {
        let server = try await TestServer.start()
        let (id, urls) = try await multipart(server)
        let mib = Int(PartPlanner.mebibyte)
        let tooBig = try await server.put(urls[3]!, randomBytes(mib + 1))
        #expect(tooBig.status == 413 && tooBig.errorCode == "payloadTooLarge")
        let short = try await server.put(urls[3]!, randomBytes(100))
        #expect(short.status == 400)
        let part = try #require(try await server.store.reader.parts(sessionId: id).last)
        #expect(part.status == .failed && part.error?.code == "badRequest")
        let good = try await server.put(urls[3]!, randomBytes(mib))
        #expect(good.status == 200)
        #expect(good.headers["ETag"].first?.hasPrefix("\"") == true)
        #expect(try await server.store.reader.parts(sessionId: id).last?.status == .uploaded)
        await server.finish()
    }

    @Test func checksumMismatchFailsThePartWithTheReason() async throws {
        let server = try await TestServer.start()
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": 3])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let url = initiated["url"] as! String
        let wrong = try await server.put(url, Data("abc".utf8), headers: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")])
        #expect(wrong.status == 422 && wrong.errorCode == "checksumMismatch")
        let part = try #require(try await server.store.reader.parts(sessionId: id).first)
        #expect(part.status == .failed && part.error?.code == "checksumMismatch")
        let wrongCRC = try await server.put(url, Data("abc".utf8), headers: [("x-amz-checksum-crc32c", "AAAAAA==")])
        #expect(wrongCRC.status == 422 && wrongCRC.errorCode == "checksumMismatch")
        let md5 = "kAFQmDzST7DWlj99KOF/cg=="  // base64 md5("abc")
        let crc = "Nks/tw=="  // base64 crc32c("abc") = 0x364b3fb7
        let right = try await server.put(url, Data("abc".utf8), headers: [("Content-MD5", md5), ("x-amz-checksum-crc32c", crc)])
        #expect(right.status == 200)
        // The disk store's ETag is the part's CRC-32C in hex, not an MD5.
        #expect(right.headers["ETag"].first == "\"364b3fb7\"")
        #expect(right.headers["x-amz-checksum-crc32c"].first == crc)
        await server.finish()
    }

    @Test func curlUploadsWithoutWaitingForContinue() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let server = try await TestServer.start()
        let size = 2 << 20
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": size])
        let file = server.folder.appendingPathComponent("body.bin")
        try randomBytes(size).write(to: file)
        let url = initiated["url"] as! String
        // curl is waited for on a thread of its own: the in-process server needs the cooperative pool.
        let (status, trace) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(String, String), any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let curl = Process()
                    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    curl.arguments = ["-sS", "-v", "--expect100-timeout", "30", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, url]
                    let out = Pipe()
                    let err = Pipe()
                    curl.standardOutput = out
                    curl.standardError = err
                    try LaunchThread.run(curl)
                    let status = String(decoding: PipeRead.toEnd(out.fileHandleForReading), as: UTF8.self)
                    let trace = String(decoding: PipeRead.toEnd(err.fileHandleForReading), as: UTF8.self)
                    _ = curl.waitForExit()
                    return (status, trace)
                })
            }
        }
        #expect(status == "200")
        #expect(trace.contains("Expect: 100-continue"))
        #expect(trace.contains("HTTP/1.1 100 Continue"))
        await server.finish()
    }
}
