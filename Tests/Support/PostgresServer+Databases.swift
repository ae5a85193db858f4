#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension PostgresServer {
    /// The server the whole test process shares, started by the first test that asks (later ones
    /// wait for it) and stopped when the process exits. Take a ``freshDatabase()`` from it; do not
    /// stop or kill it (start your own for that). It takes 1,000 connections: every in-process
    /// server of a test run on PostgreSQL holds several.
    public static var shared: PostgresServer {
        get async throws { try await sharedStart.value }
    }

    private static let sharedStart = Task<PostgresServer, any Error> { try await PostgresServer.start(maxConnections: 1000) }

    /// Creates a database named `name` (lowercase letters, digits and underscores) and returns its URL.
    public func createDatabase(_ name: String) async throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw ServerProcessError(.commandFailed, "database name \(name) is not lowercase letters, digits and underscores")
        }
        _ = try await psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Creates a database with a name no other test took and returns its URL.
    public func freshDatabase() async throws -> String {
        try await createDatabase("upman_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())
    }

    /// Runs `sql` with psql in `database` (the default `postgres` one) and returns what it printed:
    /// unaligned rows, one per line, `|` between columns, no header. Throws when psql fails (the
    /// error carries its message) or does not end within `timeout` seconds.
    public func psql(_ sql: String, database: String = "postgres", timeout: Double = 120) async throws -> String {
        let psql = binaryFolder.appendingPathComponent("psql").path
        let arguments = [
            "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
            "-d", database, "-c", sql,
        ]
        let run: BoundedRun
        do {
            run = try await offPool {
                try BoundedRun.run(psql, arguments, environment: PostgresServer.clientEnvironment, timeout: timeout)
            }
        } catch {
            throw ServerProcessError(.commandFailed, "psql did not run, or not to its end within \(timeout) s (\(error)): \(sql)")
        }
        guard run.status == 0 else {
            throw ServerProcessError(.commandFailed, "psql failed (\(run.status)) on \(sql): \(run.errors)")
        }
        return run.output.hasSuffix("\n") ? String(run.output.dropLast()) : run.output
    }

    /// Stops the server (a fast shutdown: SIGINT, which ends open sessions instead of waiting for
    /// them as SIGTERM's smart shutdown would; SIGKILL after `grace` seconds), makes sure none of
    /// its processes is left, and removes its folder.
    public func stop(grace: Double = 20) async {
        let child = self.child
        _ = try? await offPool { child.stop(signal: SIGINT, grace: grace) }
    }

    /// The processes of this server still running (the postmaster and its backends, found by
    /// their working directory, the data folder): empty after ``stop(grace:)``.
    public func remainingProcesses() -> [Int32] { ServerChild.processes(under: folder) }
}
