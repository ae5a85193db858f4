import Foundation
import TestSupport
import Testing
import UploadClient
import UploadModel
import UploadServer
import UploadStore

/// Many small files: initiated in batches, each sent in one PUT that completes its session, no
/// `complete` calls on the disk store.
@Suite struct BatchUploadTests {
    /// Controller calls of `action` answered so far, from the server's metrics.
    static func calls(_ server: ClientTestServer, _ action: String, outcome: String = "ok") -> Int {
        let prefix = #"upman_controller_requests_total{action="\#(action)",outcome="\#(outcome)"} "#
        let line = server.server.metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    static func files(_ server: ClientTestServer, _ count: Int, folder: String) async throws -> [LocalFile] {
        var files: [LocalFile] = []
        for index in 0..<count {
            files.append(try await server.file("\(folder)/f\(index).bin", size: 1 + (index * 37) % 5000, seed: UInt64(index)))
        }
        return files
    }

    @Test func oneInitiatePerBatchAndNoComplete() async throws {
        let server = try await ClientTestServer { $0.jobs = [] }
        let files = try await Self.files(server, 250, folder: "small")
        var options = UploadOptions(groupName: "small")
        options.batchLimit = 100
        let log = EventLog()
        let outcome = try await Uploader(client: server.client, options: options, report: log.add).run(files)
        #expect(outcome.succeeded, "\(outcome.files.filter { $0.state != .completed }.prefix(3))")
        #expect(Self.calls(server, "initiate") == 3)
        #expect(Self.calls(server, "initiate", outcome: "error") == 0)
        #expect(Self.calls(server, "complete") == 0)
        #expect(Self.calls(server, "partUploaded") == 0)
        for (file, result) in zip(files, outcome.files) {
            #expect(try await server.stored(result.sessionId!) == Data(contentsOf: URL(fileURLWithPath: file.path)), "\(file.uploadName)")
        }
        let sessions = try await server.store.reader.sessions(SessionQuery(groupId: outcome.groupId, limit: 1000))
        #expect(sessions.count == 250 && sessions.allSatisfy { $0.status == .completed })
        #expect(try await server.store.reader.group(outcome.groupId)?.completedFiles == 250)
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func aThousandAndMoreWithJobsAndABigFileBeside() async throws {
        let server = try await ClientTestServer()
        var files = try await Self.files(server, 1200, folder: "many")
        files.append(try await server.file("many/big.bin", size: 9 << 20, seed: 77))
        let outcome = try await Uploader(client: server.client, options: UploadOptions(groupName: "many")).run(files)
        #expect(outcome.succeeded)
        // 1,200 small files in two batches; the big one is initiated alone and completed by the uploader.
        #expect(Self.calls(server, "initiate") == 3)
        #expect(Self.calls(server, "complete") == 1)
        let big = try #require(try await server.store.reader.session(outcome.files[1200].sessionId!))
        #expect(big.method == .multipart && big.status == .completed)
        #expect(try await server.stored(big.id) == Data(contentsOf: URL(fileURLWithPath: files[1200].path)))
        #expect(try await server.store.reader.group(outcome.groupId)?.completedFiles == 1201)
        await server.finish()
    }

    @Test func batchingOffInitiatesEachFileAlone() async throws {
        let server = try await ClientTestServer { $0.jobs = [] }
        let files = try await Self.files(server, 12, folder: "alone")
        var options = UploadOptions(groupName: "alone")
        options.batchBelow = 0
        let outcome = try await Uploader(client: server.client, options: options).run(files)
        #expect(outcome.succeeded)
        #expect(Self.calls(server, "initiate") == 12)
        #expect(Self.calls(server, "complete") == 0)
        await server.finish()
    }
}
