import Foundation

/// Bytes moved per second over the last minutes, for the header's sparkline and rate.
public struct ThroughputHistory: Sendable {
    private var buckets: [Int64: Int64] = [:]
    /// How many seconds are kept.
    public let seconds: Int

    /// Creates an empty history keeping `seconds` seconds.
    public init(seconds: Int = 120) {
        self.seconds = seconds
    }

    /// Adds bytes moved at a time.
    public mutating func add(_ bytes: Int64, at time: Date) {
        guard bytes > 0 else { return }
        let second = Int64(time.timeIntervalSince1970.rounded(.down))
        buckets[second, default: 0] += bytes
        if buckets.count > seconds * 2 {
            let oldest = second - Int64(seconds)
            buckets = buckets.filter { $0.key > oldest }
        }
    }

    /// Bytes per second in each of the last `count` whole seconds before now, oldest first.
    public func perSecond(last count: Int, now: Date) -> [Int64] {
        let current = Int64(now.timeIntervalSince1970.rounded(.down))
        return (0..<count).map { buckets[current - Int64(count) + Int64($0)] ?? 0 }
    }

    /// The mean rate over the last `window` whole seconds.
    public func rate(window: Int = 5, now: Date) -> Double {
        Double(perSecond(last: window, now: now).reduce(0, +)) / Double(window)
    }

    /// A sparkline of the last `width` seconds (` ▁▂▃▄▅▆▇█`).
    public func sparkline(width: Int, now: Date) -> String {
        let values = perSecond(last: width, now: now)
        let peak = values.max() ?? 0
        let levels: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return String(values.map { value -> Character in
            guard peak > 0, value > 0 else { return levels[0] }
            return levels[max(1, Int((Double(value) / Double(peak) * 8).rounded(.up)))]
        })
    }
}
