import ArgumentParser
import Foundation
import UploadModel
import UploadStore

/// `upman fixtures`: writes a realistic database of any size for tests, benchmarks and demos.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "Write a realistic upman database (mixed states, failures, parts, jobs, events).")

    @Option(help: "The database file to write.")
    var out: String

    @Option(help: "Number of groups.")
    var groups: Int

    @Option(help: "Files in each group.")
    var filesPerGroup: Int = 10

    @Option(help: "Random seed; the same seed and --now give the same database.")
    var seed: UInt64 = 1

    @Option(help: "End of the simulated history, ISO-8601 (default: now).")
    var now: String?

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func validate() throws {
        guard groups >= 0 else { throw ValidationError("--groups must be 0 or more") }
        guard filesPerGroup >= 0 else { throw ValidationError("--files-per-group must be 0 or more") }
        if let now, Timestamp.parse(now) == nil {
            throw ValidationError("--now must be an ISO-8601 time such as 2026-11-25T12:00:00Z")
        }
    }

    func run() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: out) {
            guard force else {
                throw ValidationError("\(out) exists; pass --force to replace it")
            }
            for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: out + suffix) }
        }
        let options = FixtureOptions(
            groups: groups, filesPerGroup: filesPerGroup, seed: seed,
            now: now.flatMap(Timestamp.parse) ?? Date())
        let started = Date()
        let report: FixtureReport
        do {
            let store = try UploadStore(path: out)
            let tty = isatty(STDERR_FILENO) == 1
            report = try FixtureGenerator(options: options).write(into: store) { done in
                if tty {
                    FileHandle.standardError.write(Data("\r\(done)/\(groups) groups".utf8))
                }
            }
            if tty { FileHandle.standardError.write(Data("\n".utf8)) }
        } catch let error as UploadError {
            throw CLIError(error.description)
        }
        let seconds = Date().timeIntervalSince(started)
        print("wrote \(report.groups) groups, \(report.sessions) files, \(report.parts) parts, \(report.jobs) jobs, \(report.events) events to \(out) in \(String(format: "%.1f", seconds)) s")
    }
}
