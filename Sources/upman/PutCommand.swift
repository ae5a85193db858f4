import ArgumentParser
import Foundation
import NIOFileSystem
import UploadClient
import UploadModel

/// `upman put`: uploads files, choosing single or parallel multipart uploads by itself.
struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload files or directories as one group; resumable with --resume.",
        discussion: """
            Progress bars on a terminal; one JSON object per line when standard output is not a terminal \
            or with --json. Inside directories, symbolic links (unless --follow-symlinks), FIFOs, sockets, \
            devices and unreadable entries are skipped, and each is reported. A server that is away is \
            waited for up to --patience. Exit status 0 only when every file is COMPLETED (its processing \
            jobs included) and nothing was skipped; when work is left that another run can finish, the \
            command that resumes it is printed.
            """)

    @Argument(help: "Files or directories to upload.")
    var paths: [String]

    @Option(help: "Name of the group. [default: the first path's name]")
    var group: String?

    @Option(help: "Part size for large files, e.g. 16MiB (at least 5 MiB). [default: the server's, 8 MiB]")
    var partSize: String?

    @Option(help: "Parts in flight at once.")
    var concurrency: Int = 8

    @Option(help: "Checksums sent with each part: crc32c (x-amz-checksum-crc32c, checked by the embedded store as the bytes arrive) or md5 (also Content-MD5, for an S3 service that demands it; MD5 costs a pass over every byte). The whole file's CRC-32C is checked at completion either way. [default: crc32c]")
    var checksum: String = "crc32c"

    @Option(help: "Group or session id of an earlier run to resume: only what is missing is sent.")
    var resume: String?

    @Option(help: "How long to wait for a server that is away (restarting, unreachable) before giving up, e.g. 90s or 5m.")
    var patience: String = Self.defaultPatience

    @Flag(help: "Inside directories, upload what symbolic links point to instead of skipping them.")
    var followSymlinks = false

    @Flag(help: "One JSON object per line for each state change, and a summary (the default when standard output is not a terminal).")
    var json = false

    @OptionGroup var connection: ServerConnection

    /// `--patience` when not given.
    static let defaultPatience = "60s"

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1...64") }
        if let partSize, SettingSources.parseSize(partSize) == nil {
            throw ValidationError("--part-size must be a size such as 8MiB or 16M")
        }
        guard let seconds = SettingSources.parseDuration(patience), seconds >= 0 else {
            throw ValidationError("--patience must be a duration such as 60s or 5m")
        }
    }

    func run() async throws {
        guard let checksumMode = ChecksumMode(rawValue: checksum.lowercased()) else {
            throw CLIError("--checksum must be crc32c or md5, not \(ShellWord.quote(checksum))")
        }
        let server = try connection.serverURL()
        let token = try connection.resolvedToken()
        let interactive = !json && isatty(STDOUT_FILENO) == 1
        let json = self.json || !interactive
        let lines = LineWriter()
        defer { lines.flush() }
        let locations = RawArguments.locations(for: paths)
        let collection = try await FileCollector(followSymlinks: followSymlinks).collect(locations)
        for entry in collection.skipped {
            if json { lines.write(JSONLine.encode(["event": "skipped", "path": entry.exactPath, "reason": entry.reason])) }
            lines.write(entry.line, to: .error)
        }
        let files = collection.files
        guard !files.isEmpty else {
            let skipped = collection.skipped.count
            throw CLIError("nothing to upload: the paths hold no files" + (skipped > 0 ? " that can be uploaded (\(skipped) skipped, listed above)" : ""))
        }
        let groupName = group ?? URL(fileURLWithPath: paths[0]).standardizedFileURL.lastPathComponent
        let options = UploadOptions(
            groupName: groupName, partSize: partSize.flatMap(SettingSources.parseSize), concurrency: concurrency,
            resumeId: resume, checksum: checksumMode)
        let tracker = ProgressTracker()
        let wait = ServerWait(patience: .seconds(SettingSources.parseDuration(patience) ?? 60)) { change in
            if json { lines.write(JSONLine.encode(change.jsonObject)) }
        }
        let renderer = interactive ? ProgressRenderer(tracker: tracker, wait: wait) : nil
        let groupId = GroupIdBox()
        let client = ControllerClient(server: server, token: token, wait: wait)
        let uploader = Uploader(client: client, options: options, tracker: tracker) { event in
            if case .group(let id, _, _) = event { groupId.set(id) }
            if json {
                lines.write(event.jsonLine)
            } else if case .fileState(let index, _, _, _, let state, let reason) = event, state == .failed || state == .cancelled {
                renderer?.note(TerminalText.escaped("\(files[index].displayName): \(state.rawValue): \(reason ?? "")"))
            }
        }
        let again = ResumeCommand(paths: locations, flags: resumeFlags)
        lines.flush()  // what was skipped is on the terminal before the progress block starts below it
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
                lines.write("interrupted; resume with: \(again.text(resuming: groupId.value ?? "GROUP_ID"))", to: .error)
                throw ExitCode(130)
            }
            let message = TerminalText.escaped("\(error)")
            // The group exists and the failure may pass (the server away): another run can go on.
            guard let id = groupId.value, (error as? ClientError)?.isTransient == true else { throw CLIError(message) }
            lines.write(message, to: .error)
            lines.write("resume with: \(again.text(resuming: id))", to: .error)
            throw ExitCode(1)
        }
        renderer?.stop()
        interrupt.stop()
        if interrupt.fired {
            lines.write("interrupted; resume with: \(again.text(resuming: outcome.groupId))", to: .error)
            throw ExitCode(130)
        }
        let summary = PutSummary(outcome: outcome, files: files, skipped: collection.skipped.count, sentBytes: tracker.snapshot().sentBytes)
        lines.write(json ? JSONLine.encode(summary.jsonObject(resume: outcome.resumable ? again.text(resuming: outcome.groupId) : nil)) : summary.line)
        for line in summary.problems { lines.write(line, to: .error) }
        if outcome.resumable { lines.write("resume with: \(again.text(resuming: outcome.groupId))", to: .error) }
        if !summary.succeeded { throw ExitCode(1) }
    }

    /// The flags a resume repeats: where the server is, and how this run was asked to go (never the token).
    private var resumeFlags: [String] {
        var flags: [String] = []
        if let server = connection.server { flags += ["--server", server] }
        if let data = connection.dataDirectory { flags += ["--data", data] }
        if concurrency != 8 { flags += ["--concurrency", String(concurrency)] }
        if patience != Self.defaultPatience { flags += ["--patience", patience] }
        if followSymlinks { flags.append("--follow-symlinks") }
        if json { flags.append("--json") }
        return flags
    }
}

/// The group id, once the run knows it.
final class GroupIdBox: @unchecked Sendable {
    private let lock = NSLock()
    private var id: String?

    func set(_ value: String) { lock.withLock { id = value } }
    var value: String? { lock.withLock { id } }
}
