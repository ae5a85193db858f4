import Crypto
import Foundation
import TestSupport
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// The disk fills up during a part: the part is FAILED with the reason, nothing is half
/// recorded, the space it took is given back, and once there is room again a retry finishes
/// the upload with the right bytes.
@Suite struct StorageFaultTests {
    static let mib = Int(PartPlanner.mebibyte)

    /// Whether this machine lets the test mount a small tmpfs (root in a container that allows it).
    static let canMountTmpfs: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("upman-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) == 0 else { return false }
        _ = run("/bin/umount", [probe.path])
        return true
    }()

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return -1 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? LaunchThread.run(process)) != nil else { return -1 }
        return process.waitForExit()
    }

    /// A real small filesystem: a 24 MiB tmpfs under the store.
    @Test(.enabled(if: StorageFaultTests.canMountTmpfs, "mounting a tmpfs needs root; the capacity-limit test covers the same path"))
    func aFullFilesystemFailsThePartAndARetryFinishesIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-enospc-\(UUID().uuidString)")
        let storage = folder.appendingPathComponent("storage")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        try #require(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", storage.path]) == 0)
        defer {
            Self.run("/bin/umount", ["-l", storage.path])
            try? FileManager.default.removeItem(at: folder)
        }
        let server = try await TestServer.start(folder: folder)
        try await fillUpThenRetry(server, free: { Self.freeBytes(storage.path) })
        await server.stop()
    }

    /// The configured capacity of the embedded store takes the same path as a full disk.
    @Test func aCapacityLimitFailsThePartAndARetryFinishesIt() async throws {
        let server = try await TestServer.start { $0.storageCapacity = Int64(24 * Self.mib) }
        let capacity = try #require(server.server.diskCapacity)
        try await fillUpThenRetry(server, free: { capacity.available })
        await server.finish()
    }

    /// A 12 MiB file fits; a 20 MiB one in 5 MiB parts does not until the first is deleted.
    func fillUpThenRetry(_ server: TestServer, free: () -> Int64) async throws {
        let mib = Self.mib
        let first = randomBytes(12 * mib, seed: 41)
        let firstId = try await server.upload(first, name: "first.bin", partSize: Int64(5 * mib))
        try await server.waitFor("first COMPLETED") { try await server.store.reader.session(firstId)?.status == .completed }

        let bytes = randomBytes(20 * mib, seed: 42)
        let initiated = try await server.ok("initiate", ["fileName": "second.bin", "size": bytes.count, "partSize": 5 * mib])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        var urls = try await signed(server, id, [1, 2, 3, 4])
        for number in 1...2 {
            #expect(try await server.put(urls[number]!, slice(bytes, number)).status == 200)
        }
        let full = try await server.put(urls[3]!, slice(bytes, 3))
        #expect(full.status == 507, "\(full.text)")
        #expect(full.errorCode == "storageFull")
        let part = try #require(try await server.store.reader.parts(sessionId: id).first { $0.partNumber == 3 })
        #expect(part.status == .failed)
        #expect(part.error?.code == "storageFull")
        #expect(part.error?.message.contains("No space left on device") == true, "\(part.error?.message ?? "")")
        // Nothing half recorded: the session counts only the two parts that arrived whole.
        let session = try #require(try await server.store.reader.session(id))
        #expect(session.status == .uploading)
        #expect(session.bytesUploaded == Int64(10 * mib))
        #expect(try await server.store.reader.audit() == [])
        // The refused part stopped at the limit instead of filling what little was left.
        #expect(free() < Int64(mib), "\(free()) bytes free after the disk filled up")

        // Room again: an operator deletes the first file and retries the failed part.
        _ = try await server.ok("delete", ["sessionId": firstId])
        let retried = try await server.ok("retry", ["sessionId": id])
        #expect((retried["parts"] as! [[String: Any]]).map { $0["partNumber"] as! Int } == [3])
        urls = try await signed(server, id, [3, 4])
        for number in 3...4 {
            let reply = try await server.put(urls[number]!, slice(bytes, number))
            #expect(reply.status == 200, "part \(number): \(reply.text)")
        }
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("second COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let key = try #require(try await server.store.reader.session(id)?.objectKey)
        let stored = try Data(contentsOf: server.folder.appendingPathComponent("storage/objects").appendingPathComponent(key))
        #expect(SHA256.hash(data: stored) == SHA256.hash(data: bytes))
        #expect(try await server.store.reader.audit() == [])
    }

    func signed(_ server: TestServer, _ id: String, _ numbers: [Int]) async throws -> [Int: String] {
        let reply = try await server.ok("signParts", ["sessionId": id, "partNumbers": numbers])
        var urls: [Int: String] = [:]
        for part in reply["parts"] as! [[String: Any]] { urls[part["partNumber"] as! Int] = part["url"] as? String }
        return urls
    }

    func slice(_ bytes: Data, _ number: Int) -> Data {
        let start = (number - 1) * 5 * Self.mib
        return bytes.subdata(in: start..<min(bytes.count, start + 5 * Self.mib))
    }

    static func freeBytes(_ path: String) -> Int64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
