import Foundation

/// How hard the crash loop pushes: CI defaults, overridden by `UPMAN_CRASH_*` for a soak.
struct CrashLoopSettings: CustomStringConvertible {
    /// SIGKILLs of `upman serve` before the uploads may finish (`UPMAN_CRASH_KILLS`, default 10).
    var kills: Int
    /// Seed of the kill schedule and the files' content (`UPMAN_CRASH_SEED`, default random).
    var seed: UInt64
    /// `upman put` runs uploading side by side, each into its own groups (`UPMAN_CRASH_LANES`, default 2).
    var lanes: Int
    /// Longest wait after a (re)start before the next kill, in ms (`UPMAN_CRASH_MAX_DELAY_MS`, default 700).
    var maxDelayMilliseconds: Int
    /// Share of `upman put` runs SIGKILLed at a random moment, in percent (`UPMAN_CRASH_UPLOADER_KILLS_PERCENT`, default 25).
    var uploaderKillPercent: Int
    /// The whole loop's time limit in seconds (`UPMAN_CRASH_LIMIT_S`, default 30 s per kill, at least 300).
    var limitSeconds: Int

    /// Reads the environment.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CrashLoopSettings {
        func number(_ name: String) -> Int? { environment[name].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        let kills = max(1, number("UPMAN_CRASH_KILLS") ?? 10)
        let seed = environment["UPMAN_CRASH_SEED"].flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        return CrashLoopSettings(
            kills: kills, seed: seed, lanes: max(1, number("UPMAN_CRASH_LANES") ?? 2),
            maxDelayMilliseconds: max(20, number("UPMAN_CRASH_MAX_DELAY_MS") ?? 700),
            uploaderKillPercent: min(90, max(0, number("UPMAN_CRASH_UPLOADER_KILLS_PERCENT") ?? 25)),
            limitSeconds: number("UPMAN_CRASH_LIMIT_S") ?? max(300, kills * 30))
    }

    var description: String {
        "UPMAN_CRASH_SEED=\(seed) UPMAN_CRASH_KILLS=\(kills) UPMAN_CRASH_LANES=\(lanes) "
            + "UPMAN_CRASH_MAX_DELAY_MS=\(maxDelayMilliseconds) UPMAN_CRASH_UPLOADER_KILLS_PERCENT=\(uploaderKillPercent)"
    }
}
