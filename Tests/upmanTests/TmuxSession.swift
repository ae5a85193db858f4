import TestSupport
import Foundation
import Testing

/// A real terminal for the dashboard: a tmux server of its own (its own socket), one window of a
/// fixed size running a command; keys go in with send-keys, the screen comes out with
/// capture-pane.
final class TmuxSession: @unchecked Sendable {
    let socket = "upman-test-\(UUID().uuidString.prefix(8))"

    /// Whether tmux is installed (.ci/run installs it).
    static var available: Bool {
        (try? runBlocking(["tmux", "-V"], capture: false).status) == 0
    }

    /// Starts `command` in a detached window of `width` × `height`.
    init(_ command: String, width: Int = 120, height: Int = 36, environment: [String: String] = [:]) async throws {
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        // The pane stays after the command ends, so its last screen can be read however long a
        // loaded machine keeps the test from looking; stop() or deinit ends the tmux server.
        let full = "env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \(env) \(command); sleep 1800"
        _ = try await tmux(["new-session", "-d", "-x", String(width), "-y", String(height), full], capture: false)
    }

    /// The screen's text now.
    func screen() async throws -> String {
        try await capture([])
    }

    /// `capture-pane -p` of the window with `options`.
    func capture(_ options: [String]) async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", "0"] + options).output
    }

    /// The window title the program in the pane set (OSC 0/2), as tmux keeps it.
    func title() async throws -> String {
        try await tmux(["display-message", "-p", "-t", "0", "#{pane_title}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends keys (tmux key names such as `Tab`, `Down`, `Escape`, or literal text with `literal`).
    func send(_ keys: String..., literal: Bool = false) async throws {
        _ = try await tmux(["send-keys", "-t", "0"] + (literal ? ["-l"] : []) + keys, capture: false)
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) async throws {
        _ = try await tmux(["resize-window", "-t", "0", "-x", String(width), "-y", String(height)], capture: false)
    }

    /// Waits until the screen shows `text` (and returns it), or fails after `timeout` seconds with
    /// the last screen in the message.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = Patience.quiet, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until the screen satisfies `condition`.
    @discardableResult
    func waitUntil(_ what: String, timeout: Double = Patience.quiet, sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the screen never showed \(what) within \(timeout) s; last screen:\n\(last)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Stops the tmux server and everything in it.
    func stop() async {
        _ = try? await tmux(["kill-server"], capture: false)
    }

    deinit {
        _ = try? Self.runBlocking(["tmux", "-L", socket, "kill-server"], capture: false)
    }

    private func tmux(_ arguments: [String], capture: Bool = true) async throws -> (status: Int32, output: String) {
        let all = ["tmux", "-L", socket] + arguments
        return try await offPool { try Self.runBlocking(all, capture: capture) }
    }

    /// Runs a tmux command with posix_spawn and waitpid. Only commands that print are captured:
    /// the command that starts the tmux server would hand the server the pipe, and reading it
    /// would never reach its end. (Foundation's Process sometimes never saw short-lived tmux
    /// clients exit, so it is not used here.)
    private static func runBlocking(_ arguments: [String], capture: Bool = true) throws -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        if capture { guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) } }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        // Nothing else of this process may leak into tmux: its server lives on and would keep
        // the test's sockets open (a closed SSE connection would never look closed).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        // Nor its signal state: the test process's threads block SIGHUP and SIGTERM, a spawned
        // child inherits that mask, and a tmux server (with its panes) that blocks them outlives
        // `kill-server` and holds whatever it was given. Children start with nothing blocked and
        // every signal at its default.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        if capture { close(fds[1]) }
        guard spawned == 0 else {
            if capture { close(fds[0]) }
            throw CocoaError(.executableNotLoadable)
        }
        var output = Data()
        if capture {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count > 0 { output.append(contentsOf: buffer[0..<count]) } else if count == 0 || errno != EINTR { break }
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
    }
}

extension TmuxSession {
    /// The screen and up to `lines` lines of scrollback above it.
    func history(lines: Int = 2000) async throws -> String {
        try await capture(["-S", "-\(lines)"])
    }
}
