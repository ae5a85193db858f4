import ArgumentParser
import Dashboard
import Foundation
import Terminal
import UploadClient
import UploadStore

/// `upman top`: the live dashboard, or one snapshot with `--once`.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Watch uploads live: groups, files, parts and jobs; retry, cancel and delete.",
        discussion: """
            Reads the upman database (read-only) and follows the server's event feed; when the server \
            is unreachable it keeps watching the database. With --server and neither --data nor --db, \
            no database is opened: everything is read from the server (GET /api/v1/snapshot) with the \
            token, and a user token shows only that user's uploads. Keys: arrows/j/k move, Tab and Enter/Esc \
            move between panes, / filters, s sorts, r retries, c cancels, d deletes, ? shows help, q quits.
            """
    )

    @Option(name: .customLong("data"), help: "Data directory: database DIR/upman.db and the admin token. [default: $UPMAN_DATA or ./upman-data]")
    var dataDirectory: String?

    @Option(name: .customLong("db"), help: "Database file or postgres:// URL; overrides --data.")
    var databasePath: String?

    @Option(help: "The upman server for live events and actions; without --data or --db, also for everything shown (no database is opened). [default: $UPMAN_SERVER or http://127.0.0.1:8080]")
    var server: String?

    @Option(help: "API token for actions and the event feed. [default: $UPMAN_TOKEN, else DATA/admin.token]")
    var token: String?

    @Option(help: "Theme name (default, light, high-contrast, monochrome) or a path to a theme file.")
    var theme: String = "default"

    @Flag(help: "Watch only: retry, cancel and delete are disabled.")
    var readonly = false

    @Flag(help: "Print one plain-text snapshot of the groups and exit.")
    var once = false

    @Flag(help: "With --once: print JSON instead of text.")
    var json = false

    @Option(help: "Write one line per frame (first-frame time, rows written, key and event latency) to this file.")
    var trace: String?

    @Option(help: "With --once: at most this many groups, most recently active first.")
    var limit: Int = 1000

    func validate() throws {
        if json && !once { throw ValidationError("--json goes with --once") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// Whether everything is read from the server (no database path): `--server` without `--data` or
    /// `--db`; without any of the three flags, `UPMAN_SERVER` when `UPMAN_DATA` is not set.
    func readsFromServer(environment: [String: String]) -> Bool {
        if dataDirectory != nil || databasePath != nil { return false }
        if server != nil { return true }
        if !(environment["UPMAN_DATA"] ?? "").isEmpty { return false }
        return !(environment["UPMAN_SERVER"] ?? "").isEmpty
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = dataDirectory ?? environment["UPMAN_DATA"] ?? "./upman-data"
        let serverURL = try ServerConnection.serverURL(server, environment: environment)
        let remote = readsFromServer(environment: environment)
        let source: any DashboardSource
        let resolvedToken: String?
        if remote {
            // No database: the token is required, from --token, UPMAN_TOKEN or DATA/admin.token.
            let token: String
            do { token = try ServerConnection.token(self.token, dataDirectory: dataDirectory, environment: environment) } catch {
                throw CLIError("upman top --server needs a token: pass --token or set UPMAN_TOKEN")
            }
            resolvedToken = token
            source = RemoteSource(client: SnapshotClient(server: serverURL, token: token, timeout: .seconds(5)))
        } else {
            let path = databasePath ?? URL(fileURLWithPath: folder).appendingPathComponent("upman.db").path
            guard DatabaseURL.isPostgres(path) || FileManager.default.fileExists(atPath: path) else {
                throw CLIError("no database at \(path): start `upman serve --data \(folder)` first, pass --data / --db, or read from a server with --server URL --token TOKEN")
            }
            do { source = try ReaderSource(path: path) } catch { throw CLIError("cannot open \(path): \(error)") }
            resolvedToken = try? ServerConnection.token(token, dataDirectory: folder, environment: environment)
        }
        if once {
            try await printOnce(source)
            return
        }
        let look = try ThemeLoader.load(theme)
        let colorMode: ColorMode = (environment["NO_COLOR"].map { !$0.isEmpty } ?? false) || look.name == "monochrome" ? .none : .automatic
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw CLIError("upman top needs a terminal; use `upman top --once` for a plain-text snapshot")
        }
        if (environment["TERM"] ?? "").isEmpty || environment["TERM"] == "dumb" {
            // A terminal that cannot place the cursor still gets the facts, as text.
            FileHandle.standardError.write(Data("upman top: TERM=\(environment["TERM"] ?? "") cannot show the live dashboard; here is one snapshot (upman top --once)\n".utf8))
            try await printOnce(source)
            return
        }
        let loop = try TopLoop(source: source, remote: remote, serverURL: serverURL, token: resolvedToken, theme: look,
                           colorMode: colorMode, readOnly: readonly, trace: try trace.map { try FrameTrace(path: $0) })
        try await loop.run()
    }

    /// Prints one snapshot of the groups. The reads block (SQLite, or HTTP from a server), so they run
    /// on a thread of their own, not on the cooperative pool.
    private func printOnce(_ source: any DashboardSource) async throws {
        let limit = self.limit
        let box = SourceBox(source: source)
        let (overview, total) = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { (try box.source.overview(limit: limit), try box.source.groupCount(search: nil)) })
            }
        }
        if json {
            FileHandle.standardOutput.write(Data(try GroupReport.json(overview.groups, totalGroups: total, latestEventId: overview.latestEventId).utf8))
        } else {
            var size = winsize()
            let width = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 120
            let report = GroupReport.text(overview.groups, totalGroups: total, now: Date(), width: width)
            FileHandle.standardOutput.write(Data((TerminalLocale.isUTF8() ? report : ASCIIFallback.string(report)).utf8))
        }
    }
}
