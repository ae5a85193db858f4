import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import UploadModel

/// A minimal tus 1.0.0 client over a ``TestServer`` (every request says `Tus-Resumable: 1.0.0`
/// and carries a bearer token), for tests of the endpoint itself.
struct TusTestClient {
    var server: TestServer
    var token: String

    init(_ server: TestServer, token: String? = nil) {
        self.server = server
        self.token = token ?? server.adminToken
    }

    var headers: [(String, String)] { [("Tus-Resumable", "1.0.0"), ("Authorization", "Bearer \(token)")] }

    /// POST /files/ with a length (nil: deferred) and metadata; answers the reply and the upload's id.
    func create(length: Int64?, metadata: [String: String] = [:], extra: [(String, String)] = [], body: Data? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> (TestServer.Reply, String?) {
        var fields = headers + extra
        fields.append(length.map { ("Upload-Length", String($0)) } ?? ("Upload-Defer-Length", "1"))
        if !metadata.isEmpty {
            fields.append(("Upload-Metadata", metadata.sorted { $0.key < $1.key }
                .map { "\($0.key) \(Data($0.value.utf8).base64EncodedString())" }.joined(separator: ",")))
        }
        if body != nil { fields.append(("Content-Type", "application/offset+octet-stream")) }
        let reply = try await server.send(.POST, "/files/", headers: fields, body: body ?? Data(), sourceLocation: sourceLocation)
        let id = reply.headers.first(name: "Location").flatMap { $0.split(separator: "/").last.map(String.init) }
        return (reply, id)
    }

    /// HEAD /files/ID.
    func head(_ id: String) async throws -> TestServer.Reply {
        try await server.send(.HEAD, "/files/\(id)", headers: headers)
    }

    /// The offset HEAD answers (nil when it answers no 200).
    func offset(_ id: String) async throws -> Int64? {
        let reply = try await head(id)
        return reply.status == 200 ? reply.headers.first(name: "Upload-Offset").flatMap { Int64($0) } : nil
    }

    /// PATCH /files/ID at `offset` with `bytes`.
    func patch(_ id: String, offset: Int64, _ bytes: Data, extra: [(String, String)] = [],
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestServer.Reply {
        try await server.send(
            .PATCH, "/files/\(id)",
            headers: headers + [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", String(offset))] + extra,
            body: bytes, sourceLocation: sourceLocation)
    }

    /// Sends `bytes` in PATCHes of `chunk` bytes from `offset`; expects 204 for each.
    func send(_ id: String, _ bytes: Data, from offset: Int64 = 0, chunk: Int) async throws {
        var at = Int(offset)
        while at < bytes.count {
            let end = min(bytes.count, at + chunk)
            let reply = try await patch(id, offset: Int64(at), bytes.subdata(in: at..<end))
            #expect(reply.status == 204, "PATCH at \(at): \(reply.status) \(reply.text)")
            guard reply.status == 204 else { return }
            at = end
        }
    }

    /// A PATCH that declares `declared` bytes but breaks off after sending `bytes` (the body's stream
    /// fails, so the client drops the connection); answers whether the request failed, as it should.
    func brokenPatch(_ id: String, offset: Int64, bytes: Data, declared: Int) async throws -> Bool {
        var request = HTTPClientRequest(url: server.base + "/files/\(id)")
        request.method = .PATCH
        for (name, value) in headers + [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", String(offset))] {
            request.headers.add(name: name, value: value)
        }
        let chunks = stride(from: 0, to: bytes.count, by: 64 << 10).map { bytes.subdata(in: $0..<min(bytes.count, $0 + (64 << 10))) }
        let body = AsyncThrowingStream<ByteBuffer, Error> { continuation in
            Task {
                for chunk in chunks {
                    continuation.yield(ByteBuffer(bytes: chunk))
                    try? await Task.sleep(for: .milliseconds(2))
                }
                // Give the server time to take the bytes in before the connection drops.
                try? await Task.sleep(for: .milliseconds(300))
                continuation.finish(throwing: CancellationError())
            }
        }
        request.body = .stream(body, length: .known(Int64(declared)))
        do {
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            return false
        } catch {
            return true
        }
    }

    /// Waits until HEAD answers `offset` (the server finishes a broken PATCH once it sees the break).
    func waitForOffset(_ id: String, _ offset: Int64, seconds: Double = 30) async throws -> Int64? {
        let deadline = Date().addingTimeInterval(seconds)
        var seen = try await self.offset(id)
        while seen != offset, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            seen = try await self.offset(id)
        }
        return seen
    }
}
