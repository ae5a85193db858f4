import Foundation
import Testing
@testable import UploadServer

/// The registry of job kinds and the exec kind's command runner (swift-subprocess).
///
/// Time limits here are minutes where a test means "no limit": the runner reads on the cooperative
/// pool, which a loaded test process can keep busy for many seconds (seen: 3 MB read in over 20 s
/// while the whole suite ran, 0.1 s alone).
@Suite struct JobKindTests {
    @Test func theRegistryNamesEachKindOnce() {
        #expect(["sha256", "content-type", "exec"].allSatisfy(JobKinds.names.contains), "the built-in kinds")
        #expect(Set(JobKinds.names).count == JobKinds.all.count)
        #expect(JobKinds.named("exec")?.needs != nil && JobKinds.named("nope") == nil)
        let table = JobKinds.markdownTable
        #expect(JobKinds.names.allSatisfy { table.contains("| `\($0)` |") })
    }

    @Test func aConfigurationThatCannotRunItsJobsSaysWhy() {
        var configuration = ServerConfiguration()
        #expect(JobKinds.problem(in: configuration) == nil)
        configuration.jobs = ["sha256", "virus"]
        #expect(JobKinds.problem(in: configuration)?.contains("unknown job kind(s): virus; known: \(JobKinds.names.joined(separator: ", "))") == true)
        configuration.jobs = ["exec"]
        #expect(JobKinds.problem(in: configuration)?.contains("exec_command") == true)
        configuration.execCommand = "/bin/true"
        #expect(JobKinds.problem(in: configuration) == nil)
    }

    @Test func exitStatusOutputAndEnvironment() async throws {
        let result = try await CommandRunner.run(
            command: "sh", arguments: ["-c", "echo out $UPMAN_X; echo err >&2; exit 3"], environment: ["UPMAN_X": "x1"], timeout: 300)
        #expect(result.status == 3 && result.stdout == "out x1" && result.stderr == "err" && !result.timedOut)
        let missing = try await CommandRunner.run(command: "/nonexistent/command", arguments: [], environment: [:], timeout: 300)
        #expect(missing.status == 127)
        let signalled = try await CommandRunner.run(command: "sh", arguments: ["-c", "kill -9 $$"], environment: [:], timeout: 300)
        #expect(signalled.status == 128 + 9)
    }

    @Test func outputIsBoundedToItsTail() async throws {
        let result = try await CommandRunner.run(
            command: "sh", arguments: ["-c", "head -c 3000000 /dev/zero | tr '\\0' a; echo END"], environment: [:], timeout: 300)
        #expect(result.status == 0)
        #expect(result.stdout.utf8.count <= CommandRunner.tailBytes && result.stdout.hasSuffix("aEND"))
    }

    /// A timeout stops the command's whole process group: SIGTERM, then SIGKILL for a child that
    /// ignores SIGTERM, and its children with it.
    @Test func aTimeoutStopsTheProcessGroup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pids = folder.appendingPathComponent("pids").path
        let script = "trap '' TERM; sleep 300 & echo $! > \(pids); echo started; wait"
        let result = try await CommandRunner.run(command: "sh", arguments: ["-c", script], environment: [:], timeout: 0.5)
        #expect(result.timedOut && result.stdout == "started", "SIGKILL followed the ignored SIGTERM")
        let child = try #require(pid_t(String(contentsOfFile: pids, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<100 {
            if kill(child, 0) != 0 && errno == ESRCH { gone = true; break }
            // A zombie still answers kill(0); its state in /proc says it is dead.
            if let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8), stat.contains(") Z ") { gone = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(gone, "the grandchild sleep \(child) was stopped with its group")
    }

    /// A grandchild that leaves the group with stdout open cannot hold the job much past its time
    /// limit (on Linux the stream ends with the command itself, so the run ends at once).
    @Test func aPipeHeldByAnEscapedGrandchildDoesNotHangTheJob() async throws {
        let result = try await CommandRunner.run(command: "sh", arguments: ["-c", "setsid sleep 40 & echo hi"], environment: [:], timeout: 30)
        #expect(result.status == 0)
        #expect(result.timedOut || result.stdout == "hi", "\(result)")
    }
}
