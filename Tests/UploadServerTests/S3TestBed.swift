import TestSupport
import Crypto
import Foundation
import ObjectStorage
import Testing
import UploadClient
import UploadModel
import UploadStore
@testable import UploadServer

/// An S3 peer (moto or SeaweedFS) plus an in-process `upman serve` whose storage is a bucket on it.
struct S3TestBed {
    let peer: any S3Peer
    let storage: S3Storage
    let server: TestServer

    /// Starts both; the server's sweeper stays out of the way unless `configure` says otherwise. A
    /// peer that is not installed cancels the test case (see ``S3PeerKind/start()``).
    static func start(_ kind: S3PeerKind, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> S3TestBed {
        try await start(on: try await kind.start(), configure)
    }

    /// Starts a server on a running `peer` (stopped here if the server cannot start). With
    /// `endpoint`, the server reaches the peer through that URL instead (a proxy in front of it),
    /// while ``storage`` speaks to the peer directly.
    static func start(
        on peer: any S3Peer, through endpoint: URL? = nil, _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> S3TestBed {
        do {
            let storage = try await peer.storage()
            var s3 = peer.configuration()
            if let endpoint { s3.endpoint = endpoint }
            let server = try await TestServer.start(s3: s3) { config in
                config.sweepInterval = 3600
                config.reconcileGrace = 0
                configure(&config)
            }
            return S3TestBed(peer: peer, storage: storage, server: server)
        } catch {
            await peer.stop()
            throw error
        }
    }

    /// Starts both, runs `body`, and stops both whether it succeeded or threw.
    static func run(
        _ kind: S3PeerKind, _ configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (S3TestBed) async throws -> Void
    ) async throws {
        let bed = try await start(kind, configure)
        do {
            try await body(bed)
        } catch {
            await bed.finish()
            throw error
        }
        await bed.finish()
    }

    /// Stops the server and the peer.
    func finish() async {
        await server.finish()
        await peer.stop()
    }

    /// The stored object, read back with GetObject.
    func object(_ key: String) async throws -> Data {
        var data = Data()
        try await storage.read(key: key) { chunk in
            data.append(chunk)
            return true
        }
        return data
    }

    /// A session from the database.
    func session(_ id: String) async throws -> UploadSession {
        try #require(try await server.store.reader.session(id))
    }

    /// Waits until the session reaches `status`.
    func waitFor(_ id: String, _ status: FileStatus, seconds: Double = 60) async throws {
        try await server.waitFor("session \(id) \(status.rawValue)", seconds: seconds) {
            try await server.store.reader.session(id)?.status == status
        }
    }

    /// A controller client for the uploader.
    var client: ControllerClient {
        ControllerClient(server: URL(string: server.base)!, token: server.adminToken, timeout: .seconds(Patience.requestSeconds))
    }

    /// Writes `bytes` to a temporary file for the uploader.
    func file(_ name: String, _ bytes: Data) throws -> LocalFile {
        let url = server.folder.appendingPathComponent("src").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: url)
        return try LocalFile(path: url.path, uploadName: name)
    }

    /// PUTs bytes to a presigned URL; returns the ETag S3 answered with.
    func put(_ url: String, _ bytes: Data) async throws -> String {
        let reply = try await server.put(url, bytes)
        #expect(reply.status == 200, "PUT \(url): \(reply.status) \(reply.text)")
        return try #require(reply.headers["ETag"].first)
    }

    /// Initiates a file and PUTs the given parts straight to S3 without telling the controller.
    func initiateAndSend(_ bytes: Data, name: String, partSize: Int64? = nil, parts: [Int]? = nil) async throws -> (id: String, etags: [Int: String]) {
        var fields: [String: Any] = ["fileName": name, "size": bytes.count]
        if let partSize { fields["partSize"] = partSize }
        let initiated = try await server.ok("initiate", fields)
        let id = try #require((initiated["session"] as? [String: Any])?["id"] as? String)
        let total = initiated["totalParts"] as! Int
        var etags: [Int: String] = [:]
        let numbers = parts ?? Array(1...total)
        guard !numbers.isEmpty else { return (id, etags) }
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": numbers])
        for part in signed["parts"] as! [[String: Any]] {
            let offset = part["offset"] as! Int
            let size = part["size"] as! Int
            etags[part["partNumber"] as! Int] = try await put(part["url"] as! String, bytes.subdata(in: offset..<(offset + size)))
        }
        return (id, etags)
    }

    /// Hex SHA-256.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
