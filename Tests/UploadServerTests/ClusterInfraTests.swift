import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing

/// The helpers a cluster test stands on: a throwaway PostgreSQL (``PostgresServer``) and an nginx
/// balancer (``NginxBalancer``) in front of tiny upstreams, each proved to start, answer, balance,
/// stream, survive a dead upstream, and stop without leaving a process behind.
@Suite(.serialized)
struct ClusterInfraTests {
    // MARK: PostgreSQL

    @Test(.enabled(if: PostgresServer.unavailableReason == nil, "PostgreSQL missing (apt-get install postgresql)"), .timeLimit(.minutes(5)))
    func postgresStartsAnswersGivesDistinctDatabasesAndStopsClean() async throws {
        let pg = try await PostgresServer.start()
        try await cleaningUp({ await pg.stop() }) {
            #expect(pg.url == "postgres://postgres@127.0.0.1:\(pg.port)/postgres")
            #expect(try await pg.psql("select 1") == "1")
            #expect(try await pg.psql("show max_connections") == "200")
            #expect(try await pg.psql("show listen_addresses") == "127.0.0.1")
            #expect(try processOwner(pg.pid) == expectedPostgresOwner())

            let first = try await pg.freshDatabase()
            let second = try await pg.freshDatabase()
            #expect(first != second)
            let firstName = try #require(first.split(separator: "/").last.map(String.init))
            let secondName = try #require(second.split(separator: "/").last.map(String.init))
            _ = try await pg.psql("create table marker (id int); insert into marker values (7)", database: firstName)
            #expect(try await pg.psql("select id from marker", database: firstName) == "7")
            #expect(try await pg.psql("select count(*) from pg_tables where tablename = 'marker'", database: secondName) == "0")
            #expect(try await pg.psql("select current_database()", database: secondName) == secondName)
            await #expect(throws: ServerProcessError.self) { try await pg.psql("select * from no_such_table") }

            #expect(!pg.remainingProcesses().isEmpty)
            let folder = pg.folder
            await pg.stop()
            #expect(pg.remainingProcesses().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: folder.path))
            #expect(!loopbackAccepts(port: pg.port))
        }
    }

    @Test(.enabled(if: PostgresServer.unavailableReason == nil, "PostgreSQL missing (apt-get install postgresql)"), .timeLimit(.minutes(5)))
    func aKilledPostmasterLeavesNoProcessOnceStopped() async throws {
        let pg = try await PostgresServer.start()
        #expect(try await pg.psql("select 1") == "1")
        kill(pg.pid, SIGKILL)
        await pg.stop()
        #expect(pg.remainingProcesses().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: pg.folder.path))
    }

    @Test(.enabled(if: PostgresServer.unavailableReason == nil, "PostgreSQL missing (apt-get install postgresql)"), .timeLimit(.minutes(5)))
    func theSharedServerIsOneServerWithFreshDatabases() async throws {
        let (a, b) = try await (PostgresServer.shared, PostgresServer.shared)
        #expect(a === b)
        async let one = a.freshDatabase()
        async let two = b.freshDatabase()
        let urls = try await [one, two]
        #expect(Set(urls).count == 2)
        for url in urls {
            let name = String(url.split(separator: "/").last ?? "")
            #expect(try await a.psql("select count(*) from pg_database where datname = '\(name)'") == "1")
        }
    }

    // MARK: nginx

    @Test(.enabled(if: Self.nginxUnavailable == nil, "nginx or python3 missing (apt-get install nginx)"), .timeLimit(.minutes(5)))
    func nginxAlternatesBetweenUpstreamsAndPassesForwardingHeaders() async throws {
        let (a, b) = try await (TinyUpstream.start(name: "a"), TinyUpstream.start(name: "b"))
        let lb = try await NginxBalancer.start(upstreams: [a.port, b.port])
        try await cleaningUp({ await lb.stop(); await a.stop(); await b.stop() }) {
            var names: [String] = []
            for _ in 0..<6 {
                let (status, body) = try await get(lb.url + "/who")
                #expect(status == 200)
                let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                try #require(lines.count == 4, "unexpected answer: \(body)")
                names.append(lines[0])
                #expect(lines[1] == "127.0.0.1:\(lb.port)")
                #expect(lines[2] == "127.0.0.1")
                #expect(lines[3] == "http")
        }
        #expect(names.filter { $0 == "a" }.count == 3, "\(names)")
        #expect(zip(names, names.dropFirst()).allSatisfy { $0 != $1 }, "not alternating: \(names)")

        #expect(!lb.remainingProcesses().isEmpty)
        await lb.stop()
        #expect(lb.remainingProcesses().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: lb.folder.path))
        }
    }

    @Test(.enabled(if: Self.nginxUnavailable == nil, "nginx or python3 missing (apt-get install nginx)"), .timeLimit(.minutes(5)))
    func nginxStreamsAChunkedResponseAsItIsWritten() async throws {
        let upstream = try await TinyUpstream.start(name: "slow")
        let lb = try await NginxBalancer.start(upstreams: [upstream.port])
        try await cleaningUp({ await lb.stop(); await upstream.stop() }) {
            let gate = FileManager.default.temporaryDirectory.appendingPathComponent("upman-gate-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: gate) }

            // The upstream writes its second chunk only once the gate exists, and the gate is made only
            // after the first chunk arrived: a buffering balancer would hold the first chunk until the
            // upstream gave up waiting (a minute), and the first read would carry both.
            let request = HTTPClientRequest(url: lb.url + "/stream?gate=" + gate.path)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
            #expect(response.status == .ok)
            var body = response.body.makeAsyncIterator()
            var received = ""
            while !received.contains("\n"), let chunk = try await body.next() {
                received += String(buffer: chunk)
        }
        #expect(received == "first slow\n")
        _ = FileManager.default.createFile(atPath: gate.path, contents: nil)
        while let chunk = try await body.next() { received += String(buffer: chunk) }
        #expect(received == "first slow\nsecond\n")
        }
    }

    @Test(.enabled(if: Self.nginxUnavailable == nil, "nginx or python3 missing (apt-get install nginx)"), .timeLimit(.minutes(5)))
    func nginxKeepsAnsweringWhenAnUpstreamIsKilled() async throws {
        let (a, b) = try await (TinyUpstream.start(name: "a"), TinyUpstream.start(name: "b"))
        let lb = try await NginxBalancer.start(upstreams: [a.port, b.port])
        try await cleaningUp({ await lb.stop(); await a.stop(); await b.stop() }) {
            // Both take requests, and the balancer holds keep-alive connections to both.
            var before: Set<String> = []
            for _ in 0..<4 { before.insert(String(try await get(lb.url + "/who").body.prefix { $0 != "\n" })) }
            #expect(before == ["a", "b"])

            await a.kill()
            for _ in 0..<8 {
                let (status, body) = try await get(lb.url + "/who")
                #expect(status == 200)
                #expect(body.hasPrefix("b\n"), "\(body)")
        }
        }
    }

    @Test(.enabled(if: Self.nginxUnavailable == nil, "nginx or python3 missing (apt-get install nginx)"), .timeLimit(.minutes(5)))
    func nginxReloadSwitchesUpstreams() async throws {
        let (a, b) = try await (TinyUpstream.start(name: "a"), TinyUpstream.start(name: "b"))
        let lb = try await NginxBalancer.start(upstreams: [a.port])
        try await cleaningUp({ await lb.stop(); await a.stop(); await b.stop() }) {
            #expect(try await get(lb.url + "/who").body.hasPrefix("a\n"))
            try await lb.reload(upstreams: [b.port])
            #expect(lb.upstreams == [b.port])
            for _ in 0..<3 { #expect(try await get(lb.url + "/who").body.hasPrefix("b\n")) }
        }
    }

    @Test func theConfigurationSaysWhatAnUploadServerNeeds() {
        let text = NginxBalancer.configuration(listen: 8080, upstreams: [9001, 9002], prefix: "/srv/lb/")
        for line in [
            "listen 127.0.0.1:8080;", "server 127.0.0.1:9001 max_fails=1 fail_timeout=2s;",
            "server 127.0.0.1:9002 max_fails=1 fail_timeout=2s;", "client_max_body_size 0;", "proxy_request_buffering off;",
            "proxy_buffering off;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
            "proxy_next_upstream error timeout http_502;", "error_log /srv/lb/error.log warn;", "proxy_read_timeout 1h;",
        ] {
            #expect(text.contains(line), "missing: \(line)")
        }
        let directives = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        #expect(!directives.contains { $0.contains("non_idempotent") })
        #expect(!directives.contains { $0.contains("/var/") || $0.contains("/etc/") })
    }

    // MARK: Helpers

    /// Runs `body`, then `cleanup` whether `body` threw or not.
    private func cleaningUp(_ cleanup: () async -> Void, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    static let nginxUnavailable: String? = NginxBalancer.unavailableReason ?? (TinyUpstream.python == nil ? "python3 missing" : nil)

    /// GETs `url` and returns the status and the body.
    private func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(Patience.requestSeconds))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// The real user id of process `pid`.
    private func processOwner(_ pid: Int32) throws -> UInt32 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Uid:") })
        return try #require(line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { UInt32($0) })
    }

    /// Who PostgreSQL should run as: `postgres` under root, else this process's user.
    private func expectedPostgresOwner() -> UInt32 {
        getuid() == 0 ? (getpwnam("postgres")?.pointee.pw_uid ?? 0) : getuid()
    }
}
