import Foundation
import TestSupport
import Testing

/// Fuzzes a running `upman serve` from its own OpenAPI document with schemathesis, as the admin and
/// as a plain user: no 5xx, no answer the document does not describe, and the database's invariants
/// hold afterwards.
///
/// `UPMAN_FUZZ_EXAMPLES` sets schemathesis's examples per operation (the soak run uses 10,000);
/// `UPMAN_FUZZ_SEED` replays a run (the seed is printed either way).
@Suite struct ControllerFuzzTests {
    /// Examples per operation when `UPMAN_FUZZ_EXAMPLES` is not set: 1–2 minutes for both runs on a debug build.
    static let defaultExamples = 150

    /// Whether `python3 -m schemathesis.cli` runs here.
    static let schemathesisInstalled: Bool = {
        (try? run(["python3", "-c", "import schemathesis.cli"], in: FileManager.default.temporaryDirectory, environment: [:]).code) == 0
    }()

    @Test(.enabled(if: ControllerFuzzTests.schemathesisInstalled, "schemathesis is not installed (python3 -m pip install schemathesis)"))
    func fuzzedControllerKeepsToItsSpecAndItsInvariants() async throws {
        let environment = ProcessInfo.processInfo.environment
        let examples = environment["UPMAN_FUZZ_EXAMPLES"].flatMap { Int($0) } ?? Self.defaultExamples
        let seed = environment["UPMAN_FUZZ_SEED"].flatMap { UInt32($0) } ?? UInt32.random(in: 1...UInt32.max)
        print("ControllerFuzzTests: seed \(seed), \(examples) examples per operation "
            + "(replay: UPMAN_FUZZ_SEED=\(seed) UPMAN_FUZZ_EXAMPLES=\(examples) swift test --filter Fuzz)")

        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        var stopped = false
        defer { if !stopped { kill(server.processIdentifier, SIGKILL) } }
        try #require(url.hasPrefix("http://127.0.0.1:"), "upman serve did not print its address")
        let admin = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let made = try await UpmanBinary.run(["token", "create", "--data", folder.path("data"), "--user", "bob"])
        try #require(made.status == 0, "\(made.stderr)")
        let bob = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try SchemathesisSetup.configuration.write(toFile: folder.path("schemathesis.toml"), atomically: true, encoding: .utf8)
        try SchemathesisSetup.hooks.write(toFile: folder.path("upman_fuzz_hooks.py"), atomically: true, encoding: .utf8)

        // The admin runs first; the user then gets the admin's ids too, and the hooks' own check
        // (others_uploads_stay_hidden) fails any success the user's token gets with one of them.
        for (who, token) in [("admin", admin), ("bob", bob)] {
            let started = ContinuousClock.now
            let arguments = [
                "python3", "-m", "schemathesis.cli", "--config-file", folder.path("schemathesis.toml"), "--no-color",
                "run", url + "/api/v1/openapi.yaml", "--url", url,
                "--header", "Authorization: Bearer \(token)",
                "--seed", String(seed), "--max-examples", String(examples), "--workers", "1",
                "--request-timeout", "10", "--generation-database", "none", "--output-sanitize", "false",
            ]
            let hookEnvironment = [
                "PYTHONPATH": folder.url.path + (environment["PYTHONPATH"].map { ":" + $0 } ?? ""),
                "SCHEMATHESIS_HOOKS": "upman_fuzz_hooks",
                "UPMAN_FUZZ_POOL": folder.path("pool.json"), "UPMAN_FUZZ_SEED": String(seed),
                "UPMAN_FUZZ_STATS": folder.path("statuses-\(who).json"), "UPMAN_FUZZ_URL": url, "UPMAN_FUZZ_TOKEN": token,
                "UPMAN_FUZZ_ROLE": who == "admin" ? "admin" : "user",
            ]
            let directory = folder.url
            let result = try await offPool { try Self.run(arguments, in: directory, environment: hookEnvironment) }
            print("ControllerFuzzTests: as \(who), \(Self.summary(of: result.output)) in \(started.duration(to: .now))")
            print(Self.statuses(in: folder.path("statuses-\(who).json")))
            #expect(result.code == 0, "schemathesis found problems as \(who) (seed \(seed)):\n\(Self.report(of: result.output))")
        }

        kill(server.processIdentifier, SIGTERM)
        let exit = await server.exitStatus(within: .seconds(Patience.quiet))
        stopped = exit != nil
        #expect(exit == 0, "upman serve did not stop cleanly")
        let check = try await UpmanBinary.run(["check", "--data", folder.path("data")])
        #expect(check.status == 0, "upman check after fuzzing:\n\(check.stdout)\(check.stderr)")
    }

    /// The `Test cases:` line of schemathesis's summary, e.g. `1234 generated, 1234 passed`.
    static func summary(of output: String) -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.hasPrefix("Test cases:") }), index + 1 < lines.count else {
            return "no summary"
        }
        return "test cases: " + lines[index + 1].trimmingCharacters(in: .whitespaces)
    }

    /// The statuses each operation (and controller action) answered, one line each, from the hooks' tally.
    static func statuses(in path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path),
              let tally = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Int]]
        else { return "  (no status tally)" }
        return tally.keys.sorted().map { label in
            let counts = tally[label, default: [:]].sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
            return "  \(label): " + counts.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// What a failed run reported: its failures, warnings and summary (or everything when it did not get that far).
    static func report(of output: String) -> String {
        let start = output.range(of: "= FAILURES =")?.lowerBound ?? output.range(of: "= ERRORS =")?.lowerBound ?? output.startIndex
        let report = String(output[start...])
        return report.count > 40_000 ? String(report.prefix(20_000)) + "\n…\n" + String(report.suffix(20_000)) : report
    }

    /// Runs `arguments` (found on PATH) in `directory` with `environment` added to this process's;
    /// returns its exit status with its output and errors together. Blocks: call it off the pool.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> (code: Int32, output: String) {
        try runTool(arguments, in: directory, environment: environment)
    }
}
