import Crypto
import Foundation
import ObjectStorage
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// tus uploads that every storage must carry the same way (run on the disk store by
/// ``TusEndpointTests`` and on each S3 peer by ``S3Suites/S3TusTests``): parts of 5 MiB, bytes in
/// PATCHes that cut across them, the unfinished part kept across a restart and a broken
/// connection, checksums that refuse a whole PATCH, and a deferred length.
enum TusScenarios {
    static let mib = 1 << 20

    /// Parts of 5 MiB from 5 MiB on, so a few MiB cross several parts.
    static func smallParts(_ config: inout ServerConfiguration) {
        config.planner.multipartThreshold = 5 * PartPlanner.mebibyte
        config.planner.defaultPartSize = 5 * PartPlanner.mebibyte
        config.planner.automaticPartSizeLimit = 5 * PartPlanner.mebibyte
        config.sweepInterval = 3600
    }

    /// The stored object's bytes.
    static func object(_ server: TestServer, _ id: String) async throws -> Data {
        let session = try #require(try await server.store.reader.session(id))
        var data = Data()
        try await server.server.storage.read(key: session.objectKey) { chunk in
            data.append(chunk)
            return true
        }
        return data
    }

    /// 12 MiB + 123 bytes in PATCHes of 3 MiB + 7 bytes, then a HEAD: the object is the bytes, each
    /// part is UPLOADED with its CRC-32C, and the session's checksum is the whole file's.
    static func patchesAcrossParts(_ server: TestServer) async throws {
        let tus = TusTestClient(server)
        let bytes = randomBytes(12 * mib + 123, seed: 81)
        let (created, id) = try await tus.create(length: Int64(bytes.count), metadata: ["filename": "across.bin", "group": "tus-tests"])
        #expect(created.status == 201, "\(created.text)")
        let upload = try #require(id)
        try await tus.send(upload, bytes, chunk: 3 * mib + 7)
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
        #expect(try await object(server, upload) == bytes)
        let parts = try await server.store.reader.parts(sessionId: upload)
        #expect(parts.count == 3 && parts.allSatisfy { $0.status == .uploaded && $0.checksum != nil })
        let session = try #require(try await server.store.reader.session(upload))
        #expect(session.checksum?.value == CRC32C.base64(CRC32C.checksum(bytes)))
        let head = try await tus.head(upload)
        #expect(head.headers.first(name: "Upload-Offset") == String(bytes.count))
        #expect(head.headers.first(name: "Upload-Expires") == nil, "a finished upload does not expire")
    }

    /// 7 MiB sent (one part whole and 2 MiB of the next), the server restarted on the same data and
    /// storage: HEAD answers 7 MiB and the rest finishes the object.
    static func unfinishedPartSurvivesARestart(_ server: TestServer, restart: (TestServer) async throws -> TestServer) async throws {
        let bytes = randomBytes(11 * mib, seed: 82)
        let (_, id) = try await TusTestClient(server).create(length: Int64(bytes.count), metadata: ["filename": "restart.bin"])
        let upload = try #require(id)
        try await TusTestClient(server).send(upload, bytes.prefix(7 * mib), chunk: 7 * mib)
        let again = try await restart(server)
        let tus = TusTestClient(again)
        #expect(try await tus.offset(upload) == Int64(7 * mib))
        try await tus.send(upload, bytes, from: Int64(7 * mib), chunk: 4 * mib)
        try await again.waitFor("COMPLETED") { try await again.store.reader.session(upload)?.status == .completed }
        #expect(try await object(again, upload) == bytes)
    }

    /// A PATCH that breaks off after 6 MiB of a declared 9: what arrived is kept (HEAD answers 6 MiB)
    /// and the client resumes from there.
    static func aBrokenPatchKeepsWhatArrived(_ server: TestServer) async throws {
        let tus = TusTestClient(server)
        let bytes = randomBytes(9 * mib, seed: 83)
        let (_, id) = try await tus.create(length: Int64(bytes.count), metadata: ["filename": "broken.bin"])
        let upload = try #require(id)
        #expect(try await tus.brokenPatch(upload, offset: 0, bytes: bytes.prefix(6 * mib), declared: bytes.count))
        let kept = try #require(try await tus.waitForOffset(upload, Int64(6 * mib)))
        #expect(kept == Int64(6 * mib), "HEAD answers \(kept) after a break at \(6 * mib)")
        try await tus.send(upload, bytes, from: kept, chunk: 8 * mib)
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
        #expect(try await object(server, upload) == bytes)
    }

    /// A PATCH of 7 MiB whose `Upload-Checksum` is wrong keeps nothing (460, offset 0, no part
    /// recorded, nothing the reconciler would take); sent again with the right one, it is kept.
    static func aWrongChecksumKeepsNothing(_ server: TestServer) async throws {
        let tus = TusTestClient(server)
        let bytes = randomBytes(7 * mib, seed: 84)
        let (_, id) = try await tus.create(length: Int64(bytes.count), metadata: ["filename": "sum.bin"])
        let upload = try #require(id)
        var wrong = Data(Insecure.SHA1.hash(data: bytes))
        wrong[0] ^= 1
        let refused = try await tus.patch(upload, offset: 0, bytes, extra: [("Upload-Checksum", "sha1 \(wrong.base64EncodedString())")])
        #expect(refused.status == 460)
        #expect(refused.errorCode == "uploadChecksumMismatch")
        #expect(try await tus.offset(upload) == 0)
        #expect(try await server.store.reader.parts(sessionId: upload).allSatisfy { $0.status != .uploaded })
        let actions = try await server.server.reconciler.reconcile(now: Date().addingTimeInterval(7200))
        #expect(!actions.contains { $0.sessionId == upload }, "\(actions)")
        let right = Data(Insecure.SHA1.hash(data: bytes)).base64EncodedString()
        let kept = try await tus.patch(upload, offset: 0, bytes, extra: [("Upload-Checksum", "sha1 \(right)")])
        #expect(kept.status == 204, "\(kept.text)")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
        #expect(try await object(server, upload) == bytes)
    }

    /// A deferred length: 6 MiB sent (a part filled before the plan exists), then the rest with
    /// `Upload-Length`; the session is planned then, the filled part recorded, the object whole.
    static func aDeferredLength(_ server: TestServer) async throws {
        let tus = TusTestClient(server)
        let bytes = randomBytes(8 * mib + 5, seed: 85)
        let (created, id) = try await tus.create(length: nil, metadata: ["filename": "later.bin"])
        #expect(created.status == 201)
        let upload = try #require(id)
        #expect(try await tus.head(upload).headers.first(name: "Upload-Defer-Length") == "1")
        let first = try await tus.patch(upload, offset: 0, bytes.prefix(6 * mib))
        #expect(first.status == 204, "\(first.text)")
        #expect(try await tus.offset(upload) == Int64(6 * mib))
        let rest = try await tus.patch(upload, offset: Int64(6 * mib), bytes.suffix(from: 6 * mib),
                                       extra: [("Upload-Length", String(bytes.count))])
        #expect(rest.status == 204, "\(rest.text)")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
        let head = try await tus.head(upload)
        #expect(head.headers.first(name: "Upload-Length") == String(bytes.count))
        #expect(head.headers.first(name: "Upload-Defer-Length") == nil)
        #expect(try await object(server, upload) == bytes)
        let session = try #require(try await server.store.reader.session(upload))
        #expect(session.size == Int64(bytes.count))
    }

    /// A deferred length declared by a PATCH with no body (tus-js-client ends a stream so): the
    /// bytes kept before end the upload, whether they end inside a part (1,000 bytes; 6 MiB + 123)
    /// or on a part boundary (5 MiB).
    static func aDeferredLengthDeclaredWithNoBytes(_ server: TestServer) async throws {
        let tus = TusTestClient(server)
        for (index, size) in [1000, 6 * mib + 123, 5 * mib].enumerated() {
            let bytes = randomBytes(size, seed: 90 + UInt64(index))
            let (_, id) = try await tus.create(length: nil, metadata: ["filename": "stream-\(index).bin"])
            let upload = try #require(id)
            #expect(try await tus.patch(upload, offset: 0, bytes).status == 204)
            let declared = try await tus.patch(upload, offset: Int64(size), Data(), extra: [("Upload-Length", String(size))])
            #expect(declared.status == 204, "\(size) bytes: \(declared.status) \(declared.text)")
            try await server.waitFor("COMPLETED") { try await server.store.reader.session(upload)?.status == .completed }
            #expect(try await object(server, upload) == bytes, "\(size) bytes")
        }
    }
}
