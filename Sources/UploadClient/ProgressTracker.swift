import Foundation
import Synchronization

/// Honest progress across files: confirmed parts plus bytes in flight, shown monotonically
/// (a retried part never makes the bar go back) and capped at the file size; speed from a
/// sliding window, and an ETA from it.
public final class ProgressTracker: Sendable {
    private struct Entry {
        var progress: FileProgress
        var confirmed: Int64 = 0
        var inFlight: [Int: Int64] = [:]
    }

    private struct State {
        var files: [Int: Entry] = [:]
        var samples: [(time: Double, bytes: Int64)] = []
        var shownTotal: Int64 = 0
    }

    private let state = Mutex(State())
    private let window: Double

    /// Creates a tracker; speed is averaged over `window` seconds.
    public init(window: Double = 5) {
        self.window = window
    }

    /// Registers file `index`.
    public func add(_ index: Int, name: String, size: Int64) {
        state.withLock {
            $0.files[index] = Entry(progress: FileProgress(sessionId: nil, name: name, size: size, shownBytes: 0, partsDone: 0, totalParts: 0, state: .waiting))
        }
    }

    /// The file was initiated (or resumed with `confirmedBytes` already there).
    public func started(_ index: Int, sessionId: String, totalParts: Int, partsDone: Int = 0, confirmedBytes: Int64 = 0) {
        update(index) { entry in
            entry.progress.sessionId = sessionId
            entry.progress.totalParts = totalParts
            entry.progress.partsDone = partsDone
            entry.progress.state = .uploading
            entry.confirmed = confirmedBytes
        }
    }

    /// Bytes of part `part` sent so far (its current attempt).
    public func sending(_ index: Int, part: Int, bytes: Int64) {
        update(index) { $0.inFlight[part] = bytes }
    }

    /// Part `part` of `size` bytes is confirmed.
    public func partDone(_ index: Int, part: Int, size: Int64) {
        update(index) { entry in
            entry.inFlight[part] = nil
            entry.confirmed += size
            entry.progress.partsDone += 1
        }
    }

    /// Part `part`'s attempt failed; its in-flight bytes no longer count (the bar holds still).
    public func partFailed(_ index: Int, part: Int) {
        update(index) { $0.inFlight[part] = nil }
    }

    /// An uploaded part must be sent again (an operator asked); its bytes no longer count.
    public func partReopened(_ index: Int, part: Int, size: Int64) {
        update(index) { entry in
            entry.confirmed = max(0, entry.confirmed - size)
            entry.progress.partsDone = max(0, entry.progress.partsDone - 1)
        }
    }

    /// The file moved to `state`.
    public func set(_ index: Int, _ newState: FileProgress.State) {
        update(index) { entry in
            entry.progress.state = newState
            if newState == .processing || newState == .completed {
                entry.confirmed = entry.progress.size
                entry.inFlight = [:]
            }
        }
    }

    private func update(_ index: Int, _ change: (inout Entry) -> Void) {
        state.withLock { state in
            guard var entry = state.files[index] else { return }
            change(&entry)
            let actual = min(entry.progress.size, entry.confirmed + entry.inFlight.values.reduce(0, +))
            entry.progress.shownBytes = max(entry.progress.shownBytes, actual)
            state.files[index] = entry
        }
    }

    /// Every file's progress, by index.
    public var files: [FileProgress] {
        state.withLock { state in state.files.keys.sorted().compactMap { state.files[$0]?.progress } }
    }

    /// A snapshot for a total line: bytes shown, total bytes, bytes per second, seconds left.
    public func totals(now: Double = Date().timeIntervalSince1970) -> (shown: Int64, total: Int64, speed: Double, eta: Double?) {
        state.withLock { state in
            let shown = state.files.values.reduce(Int64(0)) { $0 + $1.progress.shownBytes }
            let total = state.files.values.reduce(Int64(0)) { $0 + $1.progress.size }
            state.shownTotal = max(state.shownTotal, shown)
            state.samples.append((now, state.shownTotal))
            state.samples.removeAll { now - $0.time > window }
            var speed = 0.0
            if let first = state.samples.first, now - first.time > 0.2 {
                speed = Double(state.shownTotal - first.bytes) / (now - first.time)
            }
            let remaining = Double(total - state.shownTotal)
            let eta = speed > 0 ? remaining / speed : nil
            return (state.shownTotal, total, speed, remaining <= 0 ? 0 : eta)
        }
    }
}
