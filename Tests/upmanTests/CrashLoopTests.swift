import Foundation
import Testing
import UploadModel

/// `upman serve` SIGKILLed at random moments while `upman put` uploads files of mixed sizes, then
/// started again on the same port and data folder: every file must end COMPLETED with its
/// source's SHA-256, no part counted twice, the database sound and the event log without gaps.
///
/// The uploader is SIGKILLed now and then too (a quarter of its runs by default) and resumed.
///
/// The uploader gets through a server restart in two ways, both of which a user relies on:
/// - its own retries: a part PUT that meets a dead server is sent again with backoff (0.5 s,
///   1 s, 2 s, …), and the live feed and status polls reconnect, so a short outage passes unseen;
/// - `upman put --resume <group id>`: a controller call (initiate, complete, status) is not
///   retried, so the file is reported failed and the run exits 1; the test then resumes the group,
///   as a user would, and only what the server lacks is sent.
///
/// Counts come from the environment (see ``CrashLoopSettings``): CI runs 10 kills, a soak
/// (Benchmarks/soak) runs the same code with hundreds.
@Suite struct CrashLoopTests {
    @Test func serverKilledAtRandomMomentsLosesNothingAndCountsNothingTwice() async throws {
        let settings = CrashLoopSettings.fromEnvironment()
        print("crash loop: \(settings)")
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(settings.limitSeconds)
        let folder = try TemporaryFolder()
        var rng = SeededGenerator(seed: settings.seed)
        let sources = try SourceFiles.write(into: folder.path("src"), rng: &rng)
        let delays = (0..<settings.kills).map { _ in Int.random(in: 20...settings.maxDelayMilliseconds, using: &rng) }
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let loop = CrashLoop(server: server, sources: sources, tally: CrashLoopTally(), settings: settings, deadline: deadline)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await loop.kill(after: delays) }
            for lane in 1...settings.lanes {
                group.addTask { try await loop.upload(lane: lane) }
            }
            do {
                try await group.waitForAll()
            } catch {
                group.cancelAll()
                Issue.record("crash loop stopped: \(error)\n(seed \(settings.seed))\nserver log:\n\(server.logTail())")
                throw error
            }
        }
        let stopped = try await server.stop()
        #expect(stopped == 0, "upman serve did not stop cleanly on SIGTERM: \(String(describing: stopped))")
        try await loop.checkFinalState()
        let tally = loop.tally
        #expect(tally.kills >= settings.kills)
        let seconds = Double((clock.now - started).components.seconds) + Double((clock.now - started).components.attoseconds) / 1e18
        let reasons = tally.reasons.prefix(5).map { "\($0.1)× \($0.0)" }.joined(separator: "; ")
        print("""
            crash loop: \(tally.kills) server kills, \(tally.uploaderKills) uploader kills, \(tally.batches) groups of \(sources.files.count) files, \
            \(tally.putRuns) put runs (\(tally.putRuns - tally.batches) resumes), \(tally.partRetries) part retries \
            rode out an outage, \(String(format: "%.1f", seconds)) s, seed \(settings.seed)
            """)
        if !reasons.isEmpty { print("crash loop: put runs gave up with: \(reasons)") }
    }
}
