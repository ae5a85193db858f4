#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A throwaway PostgreSQL cluster for a test run: `initdb` into a temporary folder, then `postgres`
/// itself (not `pg_ctl`, so it stays a child the test owns and can SIGKILL) on a free port of
/// 127.0.0.1, with its Unix socket in that folder.
///
/// `initdb` costs over a second, so tests share ``shared`` and each takes a ``freshDatabase()``;
/// a test that stops or kills the server starts its own with ``start(maxConnections:)``.
///
/// PostgreSQL refuses to run as root: under root, `initdb` and `postgres` run as the `postgres`
/// user (through `setpriv`), in a folder under /tmp that user owns. Everyone else runs them
/// as oneself. The binaries are Debian's (`/usr/lib/postgresql/<newest>/bin`, apt package
/// `postgresql`), or the folder named by `UPMAN_TEST_PG_BINDIR`, or those on PATH.
public final class PostgresServer: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// Its folder: the data directory (`data`), its socket and its log (`postgres.log`).
    public var folder: URL { child.folder }
    /// The postmaster's process id, for a test that kills it.
    public var pid: Int32 { child.pid }
    /// The URL of its `postgres` database, as the superuser `postgres` (no password: trust).
    public var url: String { url(database: "postgres") }

    let child: ServerChild
    let binaryFolder: URL

    private init(port: Int, child: ServerChild, binaryFolder: URL) {
        self.port = port
        self.child = child
        self.binaryFolder = binaryFolder
    }

    /// The URL of `database` on this server.
    public func url(database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    // MARK: Starting

    /// The folder holding `initdb`, `postgres`, `psql` and `pg_isready`, or nil when PostgreSQL
    /// is not installed.
    public static let binaries: URL? = {
        let manager = FileManager.default
        func usable(_ folder: URL) -> Bool {
            ["initdb", "postgres", "psql", "pg_isready"].allSatisfy {
                manager.isExecutableFile(atPath: folder.appendingPathComponent($0).path)
            }
        }
        if let named = ProcessInfo.processInfo.environment["UPMAN_TEST_PG_BINDIR"] {
            return usable(URL(fileURLWithPath: named)) ? URL(fileURLWithPath: named) : nil
        }
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? manager.contentsOfDirectory(atPath: debian.path)) ?? [])
            .compactMap { name in Double(name).map { (version: $0, name: name) } }
            .sorted { $0.version > $1.version }
        for version in versions {
            let folder = debian.appendingPathComponent(version.name).appendingPathComponent("bin")
            if usable(folder) { return folder }
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return path.map { URL(fileURLWithPath: String($0)) }.first(where: usable)
    }()

    /// Why PostgreSQL cannot run here, or nil when it can.
    public static let unavailableReason: String? = {
        if binaries == nil { return "PostgreSQL is not installed (apt-get install postgresql)" }
        if getuid() == 0 {
            if getpwnam(serviceUser) == nil { return "running as root, and there is no \(serviceUser) user to run PostgreSQL as" }
            if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                return "running as root, and setpriv (apt package util-linux) is missing to run PostgreSQL as \(serviceUser)"
            }
        }
        return nil
    }()

    /// The user PostgreSQL runs as when the tests run as root.
    static let serviceUser = "postgres"

    /// Starts a new cluster (initdb, then postgres on a free port; another port when that one was
    /// taken meanwhile) and waits until it accepts connections.
    public static func start(maxConnections: Int = 200) async throws -> PostgresServer {
        try await offPool { try startBlocking(maxConnections: maxConnections) }
    }

    private static func startBlocking(maxConnections: Int) throws -> PostgresServer {
        if let reason = unavailableReason { throw ServerProcessError(.notInstalled, reason) }
        guard let binaries else { throw ServerProcessError(.notInstalled, "PostgreSQL is not installed (apt-get install postgresql)") }
        let user = getuid() == 0 ? serviceUser : nil
        // Under root the folder must be reachable by `postgres`: /tmp is, a TMPDIR under /root is not.
        let base = user == nil ? FileManager.default.temporaryDirectory : URL(fileURLWithPath: "/tmp")
        let folder = base.appendingPathComponent("upman-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let user, let entry = getpwnam(user) {
            guard chown(folder.path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
                try? FileManager.default.removeItem(at: folder)
                throw ServerProcessError(.didNotStart, "cannot give \(folder.path) to \(user): errno \(errno)")
            }
        }
        let data = folder.appendingPathComponent("data")
        let initdbCommand = try ServerChild.wrapped(
            binaries.appendingPathComponent("initdb").path,
            ["-D", data.path, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            user: user, deathSignal: nil
        )
        let initdb = try BoundedRun.run(
            initdbCommand[0], Array(initdbCommand.dropFirst()), in: folder, environment: clientEnvironment, timeout: 300
        )
        guard initdb.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw ServerProcessError(.didNotStart, "initdb failed (\(initdb.status)): \(initdb.errors.suffix(800))")
        }
        var lastError = "PostgreSQL did not start"
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let log = folder.appendingPathComponent("postgres.log")
            let child = try ServerChild.launch(
                binaries.appendingPathComponent("postgres").path,
                [
                    "-D", data.path, "-p", String(port), "-k", folder.path,
                    "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=\(maxConnections)",
                    // Throwaway data: durability buys nothing here and costs time.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "shared_buffers=32MB", "-c", "logging_collector=off",
                ],
                folder: folder, user: user,
                // Immediate shutdown when the test process dies: its backends go at once.
                deathSignal: "QUIT", log: log, environment: clientEnvironment
            )
            let server = PostgresServer(port: port, child: child, binaryFolder: binaries)
            if server.waitUntilReady(seconds: Patience.quiet) { return server }
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            lastError = "PostgreSQL on port \(port) did not accept connections: \(text.suffix(800))"
            // The cluster stays for the next port: only the process goes.
            child.stop(signal: SIGKILL, grace: 5, keepingFolder: true)
            try? FileManager.default.removeItem(at: data.appendingPathComponent("postmaster.pid"))
        }
        try? FileManager.default.removeItem(at: folder)
        throw ServerProcessError(.didNotStart, lastError)
    }

    /// Whether the server accepts connections within `seconds`; false at once when it ended.
    private func waitUntilReady(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        let isready = binaryFolder.appendingPathComponent("pg_isready").path
        while Date() < deadline {
            guard child.isRunning else { return false }
            if loopbackAccepts(port: port),
                let probe = try? BoundedRun.run(
                    isready, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-t", "5"],
                    environment: Self.clientEnvironment, timeout: 30
                ),
                probe.status == 0
            {
                return true
            }
            usleep(50_000)
        }
        return false
    }

    /// This process's environment without the `PG…` variables that would redirect a client or
    /// the server, and with a connection timeout for clients.
    static let clientEnvironment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PGCONNECT_TIMEOUT"] = "10"
        return environment
    }()
}
