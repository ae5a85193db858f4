import Crypto
import Foundation
import Testing
import TestSupport
import UploadModel
import UploadStore

/// `upman put` of a directory takes every file whatever bytes its name holds, and never leaves
/// anything out without naming it: what it cannot take is reported and the exit status says so.
@Suite struct PutDirectoryTests {
    /// Writes `text` to the file whose path is exactly `bytes`.
    func create(_ bytes: [UInt8], _ text: String) throws {
        let fd = open(bytes.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    }

    func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 the server's job computed for each completed file of the group, by file name.
    func stored(_ folder: TemporaryFolder, groupId: String) async throws -> [String: String] {
        let store = try UploadReader.open(path: folder.path("data/upman.db"))
        var digests: [String: String] = [:]
        for session in try await store.sessions(SessionQuery(groupId: groupId)) where session.status == .completed {
            digests[session.fileName] = try await store.jobs(sessionId: session.id).first?.output
        }
        return digests
    }

    func events(_ text: String, _ event: String, state: String? = nil) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { PutProcess.object(String($0)) }
            .filter { $0["event"] as? String == event && (state == nil || $0["state"] as? String == state) }
    }

    @Test func namesThatAreNotUTF8AreUploadedUnderLosslessNames() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let d = Array(folder.path("d").utf8)
        let latin1Dir = d + Array("/".utf8) + [0xE9] + Array("t".utf8) + [0xE9]
        for directory in [d, latin1Dir] { mkdir(directory.map { CChar(bitPattern: $0) } + [0], 0o755) }
        try create(d + Array("/good.txt".utf8), "good\n")
        try create(d + Array("/caf".utf8) + [0xE9] + Array(".txt".utf8), "latin1\n")
        try create(latin1Dir + Array("/x.txt".utf8), "inside\n")
        try create(d + Array("/100%.txt".utf8), "percent\n")
        let run = try await UpmanBinary.run(["put", folder.path("d"), "--server", url, "--data", folder.path("data"), "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let groupId = try #require(events(run.stdout, "group").first?["groupId"] as? String)
        let expected = ["d/good.txt": "good\n", "d/caf%E9.txt": "latin1\n", "d/%E9t%E9/x.txt": "inside\n", "d/100%.txt": "percent\n"]
        #expect(Set(events(run.stdout, "file", state: "completed").compactMap { $0["fileName"] as? String }) == Set(expected.keys))
        #expect(try await stored(folder, groupId: groupId) == expected.mapValues(digest))

        // The same file named on the command line: its bytes come from argv, not from a decoded string.
        let arguments = ["bash", "-c", "cd \"$1\" && exec \"$2\" put \"$(printf 'caf\\351.txt')\" --server \"$3\" --data \"$4\" --json",
                         "bash", folder.path("d"), UpmanBinary.url.path, url, folder.path("data")]
        let direct = try await offPool { try runTool(arguments) }
        #expect(direct.code == 0, "\(direct.output)")
        #expect(events(direct.output, "file", state: "completed").first?["fileName"] as? String == "caf%E9.txt")
    }

    @Test func whatCannotBeUploadedIsNamedAndTheRunDoesNotPass() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let d = folder.path("d")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try create(Array("\(d)/good.txt".utf8), "good\n")
        symlink("good.txt", "\(d)/link.txt")
        symlink("nowhere", "\(d)/dangling")
        mkfifo("\(d)/pipe", 0o644)
        mkfifo("\(d)/bell\u{07}\u{1B}[31m", 0o644)
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let path = Array("\(d)/sock".utf8)
            raw.copyBytes(from: path.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)

        let run = try await UpmanBinary.run(["put", d, "--server", url, "--data", folder.path("data"), "--json"])
        #expect(run.status == 1, "something was left out, so the run must not pass: \(run.stderr)")
        #expect(events(run.stdout, "file", state: "completed").compactMap { $0["fileName"] as? String } == ["d/good.txt"])
        let skipped = events(run.stdout, "skipped")
        let skippedPaths = Set(skipped.compactMap { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } })
        #expect(skippedPaths == ["link.txt", "dangling", "pipe", "sock", "bell\u{07}\u{1B}[31m"], "\(skipped)")
        #expect(skipped.first { ($0["path"] as? String)?.hasSuffix("link.txt") == true }?["reason"] as? String
                == "symbolic link, not followed (--follow-symlinks uploads what it points to)")
        let summary = try #require(events(run.stdout, "summary").first)
        #expect(summary["skipped"] as? Int == 5 && summary["completed"] as? Int == 1 && summary["failed"] as? Int == 0)
        for name in ["link.txt", "dangling", "pipe", "sock", "bell\\x07\\e[31m"] {
            #expect(run.stderr.contains("skipped \(d)/\(name): "), "stderr does not name \(name): \(run.stderr)")
        }
        #expect(!run.stderr.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" }, "raw control characters reached stderr")

        let follow = try await UpmanBinary.run(["put", d, "--follow-symlinks", "--server", url, "--data", folder.path("data"), "--json"])
        #expect(follow.status == 1)
        #expect(Set(events(follow.stdout, "file", state: "completed").compactMap { $0["fileName"] as? String }) == ["d/good.txt", "d/link.txt"])
        #expect(events(follow.stdout, "skipped").contains { $0["reason"] as? String == "symbolic link to nothing (its target does not exist)" })
    }
}
