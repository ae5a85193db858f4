import ArgumentParser
import Dashboard
import Dispatch
import Foundation
import Logging
import Terminal
import UploadClient
import UploadServer

/// `upman demo`: an embedded server on a free port, simulated uploads (some failing) and the dashboard on them.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a throw-away server with simulated uploads and watch them in the dashboard.",
        discussion: """
            Starts the session controller in this process on a free port of 127.0.0.1 with a temporary \
            data directory, and simulated uploaders against it over HTTP: new groups every few seconds, \
            small, medium and multipart files, injected part failures that are retried, a processing job \
            that fails until you retry it (r) and an upload that stalls. q quits, stops everything and \
            removes the data directory (unless --keep).
            """)

    @Flag(help: "Keep the temporary data directory and say where it is.")
    var keep = false

    @Flag(name: .customLong("no-tui"), help: "No dashboard: print one line per finished file or notable event, then a summary.")
    var noTui = false

    @Option(help: "Stop after this many seconds. [default: until q; 60 with --no-tui]")
    var duration: Double?

    /// Seconds between new groups.
    static let groupInterval: Duration = .seconds(6)
    /// Completed groups kept; older ones are deleted so a demo left running does not fill the disk.
    static let keptGroups = 40

    /// Rejects a zero or negative `--duration`.
    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    /// Starts the server and the uploaders, shows the dashboard (or progress lines), then stops everything and cleans up.
    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if !noTui {
            guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
                throw CLIError("upman demo needs a terminal for the dashboard; use `upman demo --no-tui` for plain progress lines")
            }
            if (environment["TERM"] ?? "").isEmpty || environment["TERM"] == "dumb" {
                throw CLIError("TERM=\(environment["TERM"] ?? "") cannot show the dashboard; use `upman demo --no-tui`")
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-demo-\(UUID().uuidString.prefix(8).lowercased())")
        defer {
            if !keep { Self.remove(folder) }
        }
        let workspace = try DemoWorkspace(folder: folder)
        var logger = Logger(label: "upman.demo") { label in
            var handler = EscapingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = .error
            return handler
        }
        if !noTui { logger = Logger(label: "upman.demo") { _ in SwiftLogNoOpLogHandler() } }
        let server: EmbeddedServer
        do {
            server = try await EmbeddedServer.start(workspace.serverConfiguration, faults: DemoFaults().hook, logger: logger)
        } catch {
            throw CLIError("cannot start the embedded server: \(error)")
        }
        let log = DemoLog(echo: noTui)
        let scenario = DemoScenario(
            client: ControllerClient(server: server.url, token: server.adminToken), folder: workspace.files,
            approval: workspace.approval, operatorRetries: noTui, interval: Self.groupInterval,
            keepGroups: Self.keptGroups, log: log)
        let fate = keep ? "kept at \(folder.path)" : "removed on exit"
        if noTui {
            Self.emit("upman demo: server \(server.url.absoluteString), data \(folder.path) (\(fate)), for \(Int(duration ?? 60)) s")
        }
        let uploads = Task { await scenario.run() }
        var failure: Error?
        if noTui {
            await Self.waitForStop(seconds: duration ?? 60)
        } else {
            do {
                try await dashboard(server, environment: environment)
            } catch {
                failure = error
            }
        }
        uploads.cancel()
        await uploads.value
        await server.stop()
        Self.emit(log.summary)
        if keep { Self.emit("upman demo: data directory kept at \(folder.path) (database \(server.databasePath), admin token in \(folder.path)/data/admin.token)") }
        if let failure { throw failure }
    }

    /// Removes the demo's folder. SQLite drops its -wal and -shm files as the last connection
    /// closes, which can make one pass of removeItem stop half-way: try again until it is gone.
    private static func remove(_ folder: URL) {
        for _ in 0..<50 {
            try? FileManager.default.removeItem(at: folder)
            if !FileManager.default.fileExists(atPath: folder.path) { return }
            usleep(20_000)
        }
    }

    /// Runs the dashboard on the embedded server until q (or SIGTERM/SIGHUP, or `--duration`).
    private func dashboard(_ server: EmbeddedServer, environment: [String: String]) async throws {
        let source = try ReaderSource(path: server.databasePath)
        let theme = try ThemeLoader.load("default")
        let colorMode: ColorMode = (environment["NO_COLOR"].map { !$0.isEmpty } ?? false) ? .none : .automatic
        let loop = try TopLoop(source: source, serverURL: server.url, token: server.adminToken, theme: theme,
                               colorMode: colorMode, readOnly: false)
        // The dashboard ends on SIGHUP like on q; --duration sends it one.
        let timer = duration.map { seconds in
            Task {
                try await Task.sleep(for: .seconds(seconds))
                kill(getpid(), SIGHUP)
            }
        }
        defer { timer?.cancel() }
        try await loop.run()
    }

    /// Writes one line to stdout unbuffered, in order with the progress lines.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Returns after `seconds`, or at once on Ctrl-C (SIGINT) or SIGTERM.
    static func waitForStop(seconds: Double) async {
        let (stops, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            continuation.yield()
        }
        var iterator = stops.makeAsyncIterator()
        _ = await iterator.next()
        timer.cancel()
        sources.forEach { $0.cancel() }
    }
}
