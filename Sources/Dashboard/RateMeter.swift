import Foundation

/// Bytes per second over a sliding window, from counters that only grow (a group's or a
/// file's bytesUploaded). Samples older than the window are dropped.
public struct RateMeter: Sendable {
    private var samples: [(time: Date, bytes: Int64)] = []
    private var lastValue: Int64?
    /// How far back the rate looks.
    public let window: TimeInterval

    /// Creates a meter over a window (10 s by default).
    public init(window: TimeInterval = 10) {
        self.window = window
    }

    /// Records the counter's new value at a time; a counter that went down (a retry reset)
    /// adds nothing.
    public mutating func record(value: Int64, at time: Date) {
        defer { lastValue = value }
        guard let last = lastValue else { return }
        let delta = value - last
        if delta > 0 { add(bytes: delta, at: time) }
    }

    /// Adds bytes that moved at a time.
    public mutating func add(bytes: Int64, at time: Date) {
        samples.append((time, bytes))
        if samples.count > 512 { samples.removeFirst(samples.count - 512) }
    }

    /// The counter's last value seen.
    public var value: Int64? { lastValue }

    /// Bytes per second over the window ending now.
    public func rate(now: Date) -> Double {
        let start = now.addingTimeInterval(-window)
        var total: Int64 = 0
        for sample in samples.reversed() {
            if sample.time < start { break }
            total += sample.bytes
        }
        return Double(total) / window
    }

    /// When the last bytes moved.
    public var lastMovement: Date? { samples.last?.time }
}
