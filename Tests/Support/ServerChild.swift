#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A long-running server process owned by the test run (PostgreSQL, nginx, a test upstream),
/// working in a folder of its own that is removed when it stops.
///
/// It never outlives the test process:
/// - Foundation spawns it in a process group of its own with every descriptor above 2 closed.
/// - Where `setpriv` (util-linux) is installed, it runs under `setpriv --pdeathsig`, and is spawned
///   from ``LaunchThread``, so it gets `deathSignal` when the test process dies however it dies
///   (even by SIGKILL, or by the SIGTERM `.ci/run` sends a test process that hangs at exit).
/// - An `atexit` hook SIGKILLs every child still running when the test process exits.
/// - Its processes are found by their working directory (its folder): `stop()` kills any that
///   are left, such as PostgreSQL backends (which leave the group with `setsid`) or nginx workers
///   whose master was SIGKILLed.
public final class ServerChild: @unchecked Sendable {
    /// The Foundation handle of the child (setpriv execs the server, so this is the server itself).
    public let process: Process
    /// Its working directory; everything it writes goes there. Removed by ``stop(signal:grace:keepingFolder:)``.
    public let folder: URL

    /// The process id of the server (also its process group id).
    public var pid: Int32 { process.processIdentifier }

    private init(process: Process, folder: URL) {
        self.process = process
        self.folder = folder
    }

    /// Starts `executable` with `arguments` in `folder` (created when missing), as `user` when
    /// given (the test process must be root then), standard output and error appended to `log`.
    /// `deathSignal` (a name such as "TERM") is what it gets when the test process dies.
    public static func launch(
        _ executable: String, _ arguments: [String], folder: URL, user: String? = nil, deathSignal: String = "KILL",
        log: URL, environment: [String: String]? = nil
    ) throws -> ServerChild {
        _ = exitHook
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        try logHandle.seekToEnd()
        let command = try wrapped(executable, arguments, user: user, deathSignal: deathSignal)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = folder
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        try LaunchThread.run(process)
        let child = ServerChild(process: process, folder: folder)
        live.insert(child)
        return child
    }

    /// `executable` and `arguments`, run as `user` (when given) and with a parent-death signal
    /// through `setpriv` where it is installed. Without `setpriv`, only running as oneself works.
    public static func wrapped(_ executable: String, _ arguments: [String], user: String?, deathSignal: String?) throws -> [String] {
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            if let user { throw ServerProcessError(.notInstalled, "setpriv (apt package util-linux) is needed to run \(executable) as \(user)") }
            return [executable] + arguments
        }
        var command = [setpriv]
        if let deathSignal { command.append("--pdeathsig=\(deathSignal)") }
        if let user { command += ["--reuid=\(user)", "--regid=\(user)", "--init-groups"] }
        return command + ["--", executable] + arguments
    }

    /// Whether the server process itself still runs.
    public var isRunning: Bool { process.waitForExit(seconds: 0) == nil }

    /// Sends `signal` to the server, waits up to `grace` seconds for it to end, then SIGKILLs its
    /// group and every process left working in its folder, and removes the folder (unless
    /// `keepingFolder`). Blocks the calling thread (about `grace` seconds at worst, plus a few):
    /// call it off the cooperative pool.
    public func stop(signal: Int32 = SIGTERM, grace: Double = 10, keepingFolder: Bool = false) {
        if process.waitForExit(seconds: 0) == nil {
            kill(pid, signal)
            if process.waitForExit(seconds: grace) == nil {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                _ = process.waitForExit(seconds: 10)
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while true {
            let left = Self.processes(under: folder)
            if left.isEmpty || Date() >= deadline { break }
            for pid in left { kill(pid, SIGKILL) }
            usleep(20_000)
        }
        if !keepingFolder { try? FileManager.default.removeItem(at: folder) }
        Self.live.remove(self)
    }

    /// The processes (not zombies) whose working directory is `folder` or inside it.
    public static func processes(under folder: URL) -> [Int32] {
        let root = folder.standardizedFileURL.path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry) else { return nil }
            guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd") else { return nil }
            let path = cwd.hasSuffix(" (deleted)") ? String(cwd.dropLast(" (deleted)".count)) : cwd
            return path == root || path.hasPrefix(root + "/") ? pid : nil
        }
    }

    /// The children (by parent process id) of `pid` that still run.
    public static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (name)": state, ppid, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, fields[0] != "Z", Int32(fields[1]) == pid else { return nil }
            return child
        }
    }

    // MARK: Children still running at exit

    private final class LiveSet: @unchecked Sendable {
        private let lock = NSLock()
        private var children: [ObjectIdentifier: ServerChild] = [:]
        func insert(_ child: ServerChild) { lock.withLock { children[ObjectIdentifier(child)] = child } }
        func remove(_ child: ServerChild) { _ = lock.withLock { children.removeValue(forKey: ObjectIdentifier(child)) } }
        func all() -> [ServerChild] { lock.withLock { Array(children.values) } }
    }

    private static let live = LiveSet()

    private static let exitHook: Void = {
        atexit {
            for child in ServerChild.live.all() {
                kill(-child.pid, SIGKILL)
                kill(child.pid, SIGKILL)
                for pid in ServerChild.processes(under: child.folder) { kill(pid, SIGKILL) }
                try? FileManager.default.removeItem(at: child.folder)
            }
        }
    }()
}
