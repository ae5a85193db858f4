import Foundation
import TestSupport

/// A tiny HTTP/1.1 server in a child process (Python's http.server, keep-alive on), for testing
/// a balancer in front of it; a test can SIGKILL it. It answers:
/// - `GET /who`: its name, then the Host, X-Forwarded-For and X-Forwarded-Proto it received, one
///   per line;
/// - `GET /stream?gate=PATH`: a chunked body whose first chunk (`first NAME`) goes out at once and
///   whose second (`second`) only once the file PATH exists (at most a minute later).
final class TinyUpstream: @unchecked Sendable {
    let name: String
    let port: Int
    let child: ServerChild

    private init(name: String, port: Int, child: ServerChild) {
        self.name = name
        self.port = port
        self.child = child
    }

    /// The server, run by `python3 -c`.
    static let script = #"""
        import http.server, os, sys, time
        name, port = sys.argv[1], int(sys.argv[2])

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *arguments):
                pass

            def do_GET(self):
                if self.path.startswith("/stream?gate="):
                    gate = self.path.split("=", 1)[1]
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.chunk(("first " + name + "\n").encode())
                    deadline = time.time() + 60
                    while not os.path.exists(gate) and time.time() < deadline:
                        time.sleep(0.02)
                    self.chunk(b"second\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    return
                lines = [name] + [self.headers.get(h, "") for h in ("Host", "X-Forwarded-For", "X-Forwarded-Proto")]
                body = "\n".join(lines).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#

    /// The python3 to run: Debian's when present (no version-manager shim in between), else PATH's.
    static let python: String? = {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return path.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts one named `name` on a free port and waits until it accepts connections.
    static func start(name: String) async throws -> TinyUpstream {
        guard let python else { throw ServerProcessError(.notInstalled, "python3 is not installed") }
        return try await offPool {
            var lastError = "\(name) did not start"
            for _ in 0..<3 {
                let port = try freeLoopbackPort()
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-upstream-\(UUID().uuidString.prefix(8))")
                let child = try ServerChild.launch(
                    python, ["-c", script, name, String(port)], folder: folder, log: folder.appendingPathComponent("log")
                )
                let deadline = Date().addingTimeInterval(Patience.quiet)
                while Date() < deadline, child.isRunning {
                    if loopbackAccepts(port: port) { return TinyUpstream(name: name, port: port, child: child) }
                    usleep(20_000)
                }
                let log = (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? ""
                lastError = "\(name) on port \(port) did not start: \(log.suffix(600))"
                child.stop(signal: SIGKILL, grace: 5)
            }
            throw ServerProcessError(.didNotStart, lastError)
        }
    }

    /// Ends it at once (SIGKILL), as a crash would, and waits until it is gone.
    func kill() async {
        let child = self.child
        _ = try? await offPool { child.stop(signal: SIGKILL, grace: 10) }
    }

    /// Stops it and removes its folder.
    func stop() async {
        let child = self.child
        _ = try? await offPool { child.stop(signal: SIGKILL, grace: 10) }
    }
}
