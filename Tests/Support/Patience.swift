import Foundation

/// How long tests wait. On a shared two-core machine, with the whole suite running in parallel
/// (twice, even), a step that takes 0.2 s alone can take minutes, so no test judges speed: a wait
/// ends when its condition holds, and gives up only after a long stretch in which nothing it can
/// see moved (``quiet``). The fixed bounds here are hang guards, not expectations.
public enum Patience {
    /// Seconds a wait may see no progress before it gives up (default 180; the environment
    /// variable `UPMAN_TEST_PATIENCE` sets another).
    public static let quiet: Double = ProcessInfo.processInfo.environment["UPMAN_TEST_PATIENCE"].flatMap(Double.init) ?? 180

    /// Seconds one HTTP request may take before a test calls it hung.
    public static let requestSeconds: Int64 = Int64(quiet * 2)

    /// Polls `condition` every `interval` until it holds and returns true; returns false once
    /// `quiet` seconds (``quiet`` by default) passed in which neither the condition held nor
    /// `progress` changed. `progress` is whatever the awaited work moves: an event id, a count
    /// of frames, the screen's text.
    public static func wait<Progress: Equatable>(
        quiet: Double = Patience.quiet, interval: Duration = .milliseconds(20),
        progress: () async throws -> Progress, until condition: () async throws -> Bool
    ) async rethrows -> Bool {
        var last = try await progress()
        var lastMove = ContinuousClock.now
        while true {
            if try await condition() { return true }
            let now = try await progress()
            if now != last {
                last = now
                lastMove = .now
            } else if ContinuousClock.now - lastMove > .seconds(quiet) {
                return try await condition()
            }
            try? await Task.sleep(for: interval)
        }
    }
}
