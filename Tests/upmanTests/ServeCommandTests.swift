import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import UploadStore
import UploadServer

/// `upman serve` and `upman token create` run as an operator would.
@Suite struct ServeCommandTests {
    @Test func firstStartWritesSecretsWithMode0600AndServes() async throws {
        let folder = try TemporaryFolder()
        let (process, url) = try await ServeProcess.start(folder)
        defer { if process.isRunning { process.terminate() } }
        #expect(url.hasPrefix("http://127.0.0.1:"))
        for name in ["admin.token", "signing.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("data/\(name)"))
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
        }
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var request = HTTPClientRequest(url: url + "/api/v1/controller")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: "{\"action\":\"createGroup\",\"name\":\"x\"}"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
        #expect(response.status.code == 200)
        // An SSE client stays connected; SIGTERM still stops the server promptly and cleanly.
        var events = HTTPClientRequest(url: url + "/api/v1/events")
        events.headers.add(name: "Authorization", value: "Bearer \(token)")
        let stream = try await HTTPClient.shared.execute(events, timeout: .seconds(Patience.requestSeconds))
        #expect(stream.status.code == 200)
        process.terminate()
        #expect(await process.exitStatus(within: .seconds(Patience.quiet)) == 0)
        let check = try await UpmanBinary.run(["check", "--data", folder.path("data")])
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test func tokenCreateStoresOnlyAHash() async throws {
        let folder = try TemporaryFolder()
        let made = try await UpmanBinary.run(["token", "create", "--data", folder.path("data"), "--user", "bob"])
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("upm_") && !token.contains(" ") && made.stdout.hasSuffix("\n"))
        let raw = try Data(contentsOf: URL(fileURLWithPath: folder.path("data/upman.db")))
        #expect(raw.range(of: Data(token.utf8)) == nil)
        let store = try UploadStore(path: folder.path("data/upman.db"))
        let stored = try #require(try await store.reader.token(hash: TokenIssuer.hash(token)))
        #expect(stored.userId == "bob" && !stored.admin)
        let admin = try await UpmanBinary.run(["token", "create", "--db", folder.path("data/upman.db"), "--user", "ops", "--admin"])
        let adminToken = admin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await store.reader.token(hash: TokenIssuer.hash(adminToken))?.admin == true)
        let bad = try await UpmanBinary.run(["token", "create", "--data", folder.path("data"), "--user", ""])
        #expect(bad.status != 0)
    }

    @Test func badSettingsStopServeWithOneLine() async throws {
        let folder = try TemporaryFolder()
        let run = try await UpmanBinary.run(["serve", "--data", folder.path("data"), "--jobs", "virus-scan"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown job kind"))
        #expect(run.stderr.split(separator: "\n").count <= 2)
    }

    @Test func minimumPartSizeIsDocumentedAndRefusedWithS3() async throws {
        let help = try await UpmanBinary.run(["serve", "--help"])
        #expect(help.stdout.contains("--minimum-part-size"), "\(help.stdout)")
        let folder = try TemporaryFolder()
        let run = try await UpmanBinary.run([
            "serve", "--data", folder.path("data"), "--port", "0", "--storage", "s3", "--s3-bucket", "b",
            "--s3-endpoint", "http://127.0.0.1:9", "--s3-access-key-id", "k", "--s3-secret-access-key", "s",
            "--minimum-part-size", "4KiB",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("minimum_part_size applies to the embedded disk store only"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count <= 2)
    }
}
