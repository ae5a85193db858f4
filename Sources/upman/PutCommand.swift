import ArgumentParser
import Foundation
import UploadClient
import UploadModel

/// `upman put`: uploads files, choosing single or parallel multipart uploads by itself.
struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload files or directories as one group; resumable with --resume.",
        discussion: "Exit status 0 only when every file is COMPLETED (its processing jobs included).")

    @Argument(help: "Files or directories to upload.")
    var paths: [String]

    @Option(help: "Name of the group. [default: the first path's name]")
    var group: String?

    @Option(help: "Part size for large files, e.g. 16MiB (at least 5 MiB). [default: the server's, 8 MiB]")
    var partSize: String?

    @Option(help: "Parts in flight at once.")
    var concurrency: Int = 8

    @Option(help: "Group or session id of an earlier run to resume: only what is missing is sent.")
    var resume: String?

    @Flag(help: "One JSON object per line for each state change, and a summary.")
    var json = false

    @OptionGroup var connection: ServerConnection

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1...64") }
        if let partSize, SettingSources.parseSize(partSize) == nil {
            throw ValidationError("--part-size must be a size such as 8MiB or 16M")
        }
    }

    func run() async throws {
        let server = try connection.serverURL()
        let token = try connection.resolvedToken()
        let files = try FileCollector.collect(paths)
        let groupName = group ?? URL(fileURLWithPath: paths[0]).standardizedFileURL.lastPathComponent
        let options = UploadOptions(
            groupName: groupName, partSize: partSize.flatMap(SettingSources.parseSize), concurrency: concurrency,
            resumeId: resume)
        let tracker = ProgressTracker()
        let interactive = !json && isatty(STDOUT_FILENO) == 1
        let renderer = interactive ? ProgressRenderer(tracker: tracker) : nil
        let groupId = GroupIdBox()
        let json = self.json || !interactive
        let uploader = Uploader(client: ControllerClient(server: server, token: token), options: options, tracker: tracker) { event in
            if case .group(let id, _, _) = event { groupId.set(id) }
            if json {
                print(event.jsonLine)
                fflush(nil)
            } else if case .fileState(_, _, _, let name, let state, let reason) = event, state == .failed || state == .cancelled {
                renderer?.note("\(name): \(state.rawValue): \(reason ?? "")")
            }
        }
        renderer?.start()
        let work = Task { try await uploader.run(files) }
        let interrupt = InterruptWatcher { work.cancel() }
        let outcome: UploadOutcome
        do {
            outcome = try await work.value
        } catch {
            renderer?.stop()
            interrupt.stop()
            if work.isCancelled || error is CancellationError {
                let again = (paths.map(Self.quote) + ["--resume", groupId.value ?? "GROUP_ID"]).joined(separator: " ")
                FileHandle.standardError.write(Data("interrupted; resume with: upman put \(again)\n".utf8))
                throw ExitCode(130)
            }
            throw CLIError("\(error)")
        }
        renderer?.stop()
        interrupt.stop()
        if interrupt.fired {
            let again = (paths.map(Self.quote) + ["--resume", outcome.groupId]).joined(separator: " ")
            FileHandle.standardError.write(Data("interrupted; resume with: upman put \(again)\n".utf8))
            throw ExitCode(130)
        }
        let failed = outcome.files.filter { $0.state != .completed }
        if json {
            let summary: [String: Any] = [
                "event": "summary", "groupId": outcome.groupId, "files": outcome.files.count,
                "completed": outcome.files.count - failed.count, "failed": failed.count,
                "bytes": files.reduce(Int64(0)) { $0 + $1.size },
            ]
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("group \(outcome.groupId): \(outcome.files.count - failed.count)/\(outcome.files.count) files completed")
        }
        for file in failed {
            FileHandle.standardError.write(Data("\(file.name): \(file.state.rawValue): \(file.reason ?? "")\n".utf8))
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }

    private static func quote(_ path: String) -> String {
        path.contains(where: { " '\"$\\".contains($0) }) ? "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" : path
    }
}

/// The group id, once the run knows it.
final class GroupIdBox: @unchecked Sendable {
    private let lock = NSLock()
    private var id: String?

    func set(_ value: String) { lock.withLock { id = value } }
    var value: String? { lock.withLock { id } }
}
