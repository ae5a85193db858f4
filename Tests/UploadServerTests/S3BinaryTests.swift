import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ObjectStorage
import Testing
import UploadModel
import UploadStore

/// The built `upman` binary end to end: `upman serve --storage s3` against each S3 peer, `upman put` into it.
extension S3Suites {
    @Suite struct S3BinaryTests {
        /// The `upman` executable beside the test bundle.
        static var binary: URL {
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            ]
            for folder in candidates where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("upman").path) {
                return folder.appendingPathComponent("upman")
            }
            return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/upman")
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available()) func serveWithS3AndPutAFile(_ peer: S3PeerKind) async throws {
            try await peer.with { server in
                let storage = try await server.storage()
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-s3bin-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let bytes = randomBytes(11 << 20, seed: 41)
                let source = folder.appendingPathComponent("payload.bin")
                try bytes.write(to: source)
                var variables = ProcessInfo.processInfo.environment
                variables["AWS_ACCESS_KEY_ID"] = server.credentials.accessKeyId
                variables["AWS_SECRET_ACCESS_KEY"] = server.credentials.secretAccessKey
                let environment = variables
                let data = folder.appendingPathComponent("data").path
                let serveArguments = ["serve", "--data", data, "--port", "0", "--storage", "s3", "--s3-endpoint", server.endpoint.absoluteString,
                                      "--s3-bucket", "upman", "--s3-path-style", "--webhook-token", "hook"]
                let (serve, url) = try await offPool { () -> (Process, String) in
                    let process = Process()
                    process.executableURL = Self.binary
                    process.arguments = serveArguments
                    process.environment = environment
                    let out = Pipe()
                    process.standardOutput = out
                    process.standardError = FileHandle.nullDevice
                    try LaunchThread.run(process)
                    var line = ""
                    while !line.contains("\n") {
                        let chunk = PipeRead.available(out.fileHandleForReading)
                        if chunk.isEmpty { break }
                        line += String(decoding: chunk, as: UTF8.self)
                    }
                    return (process, line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init) ?? "")
                }
                do {
                    try await putAndCheck(url: url, data: data, source: source, bytes: bytes, storage: storage)
                } catch {
                    Issue.record(error)
                }
                _ = try? await offPool {
                    kill(serve.processIdentifier, SIGTERM)
                    _ = serve.waitForExit()
                }
                try? FileManager.default.removeItem(at: folder)
            }
        }

        private func putAndCheck(url: String, data: String, source: URL, bytes: Data, storage: S3Storage) async throws {
            #expect(url.hasPrefix("http://127.0.0.1:"))
            let token = try String(contentsOfFile: data + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let put = try await offPool { () -> (Int32, String) in
                let process = Process()
                process.executableURL = Self.binary
                process.arguments = ["put", source.path, "--server", url, "--token", token, "--part-size", "5MiB", "--json"]
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try LaunchThread.run(process)
                let text = String(decoding: PipeRead.toEnd(out.fileHandleForReading), as: UTF8.self)
                return (process.waitForExit(), text)
            }
            #expect(put.0 == 0, "\(put.1)")
            let sessionId = try #require(put.1.split(separator: "\"").first { $0.hasPrefix("ses_") }.map(String.init))
            // The object is in the bucket under the session's key, byte for byte.
            let reader = try UploadReader.open(path: data + "/upman.db")
            let session = try #require(try await reader.session(sessionId))
            #expect(session.status == .completed || session.status == .processing)
            var stored = Data()
            try await storage.read(key: session.objectKey) { stored.append($0); return true }
            #expect(S3TestBed.sha256(stored) == S3TestBed.sha256(bytes))
            #expect(session.method == .multipart && session.totalParts == 3)
        }
    }
}
