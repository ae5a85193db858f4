import Foundation
import Synchronization

/// True progress across the files of a run. A byte counts as done when the server confirmed it:
/// a part it recorded (an earlier run's included), or the whole file once its session is UPLOADED
/// or later; bytes read or in flight do not count, so an interrupted run never shows more than
/// the server holds. Speed counts only the bytes this run sent (a resume's skipped bytes are not
/// sent), over a sliding window; the ETA divides the unconfirmed bytes by it.
public final class ProgressTracker: Sendable {
    private struct Entry {
        var progress: FileProgress
        var inFlight: [Int: Int64] = [:]
    }

    private struct State {
        var files: [Entry?] = []
        var active: Set<Int> = []
        var fileCount = 0
        var completed = 0
        var confirmed: Int64 = 0
        var total: Int64 = 0
        var sent: Int64 = 0
        var samples: [(time: Double, sent: Int64)] = []
    }

    private let state = Mutex(State())
    private let window: Double

    /// Creates a tracker; speed is averaged over `window` seconds.
    public init(window: Double = 5) {
        self.window = window
    }

    /// Registers file `index` of `size` bytes under `name` (the name shown).
    public func add(_ index: Int, name: String, size: Int64) {
        state.withLock { state in
            while state.files.count <= index { state.files.append(nil) }
            if let old = state.files[index] { state.total -= old.progress.size } else { state.fileCount += 1 }
            state.files[index] = Entry(progress: FileProgress(
                sessionId: nil, name: name, size: size, confirmedBytes: 0, partsDone: 0, totalParts: 0, state: .waiting))
            state.total += size
        }
    }

    /// The file was initiated, or resumed with `partsDone` parts of `confirmedBytes` already on the server.
    public func started(_ index: Int, sessionId: String, totalParts: Int, partsDone: Int = 0, confirmedBytes: Int64 = 0) {
        update(index) { entry in
            entry.progress.sessionId = sessionId
            entry.progress.totalParts = totalParts
            entry.progress.partsDone = partsDone
            entry.progress.state = .uploading
            entry.progress.confirmedBytes = confirmedBytes
        }
    }

    /// `bytes` of part `part` have been sent so far in its current attempt.
    public func sending(_ index: Int, part: Int, bytes: Int64) {
        state.withLock { state in
            guard var entry = state.files[safe: index] ?? nil else { return }
            let before = entry.inFlight[part] ?? 0
            if bytes > before { state.sent += bytes - before }
            entry.inFlight[part] = bytes
            state.files[index] = entry
        }
    }

    /// The server confirmed part `part` of `size` bytes.
    public func partDone(_ index: Int, part: Int, size: Int64) {
        update(index) { entry in
            entry.inFlight[part] = nil
            entry.progress.confirmedBytes += size
            entry.progress.partsDone += 1
        }
    }

    /// Part `part`'s attempt failed: what it sent stays sent, nothing more is confirmed.
    public func partFailed(_ index: Int, part: Int) {
        update(index) { $0.inFlight[part] = nil }
    }

    /// An uploaded part must be sent again (an operator asked): the server no longer holds it.
    public func partReopened(_ index: Int, part: Int, size: Int64) {
        update(index) { entry in
            entry.progress.confirmedBytes -= size
            entry.progress.partsDone = max(0, entry.progress.partsDone - 1)
        }
    }

    /// The file moved to `newState`; UPLOADED and later (processing, completed) confirm every byte.
    public func set(_ index: Int, _ newState: FileProgress.State) {
        update(index) { entry in
            entry.progress.state = newState
            entry.inFlight = [:]
            if newState == .processing || newState == .completed {
                entry.progress.confirmedBytes = entry.progress.size
                entry.progress.partsDone = entry.progress.totalParts
            }
        }
    }

    private func update(_ index: Int, _ change: (inout Entry) -> Void) {
        state.withLock { state in
            guard var entry = state.files[safe: index] ?? nil else { return }
            let before = entry.progress
            change(&entry)
            entry.progress.confirmedBytes = min(entry.progress.size, max(0, entry.progress.confirmedBytes))
            state.confirmed += entry.progress.confirmedBytes - before.confirmedBytes
            if before.state == .completed { state.completed -= 1 }
            if entry.progress.state == .completed { state.completed += 1 }
            if entry.progress.isActive { state.active.insert(index) } else { state.active.remove(index) }
            state.files[index] = entry
        }
    }

    /// Every file's progress, by index.
    public var files: [FileProgress] {
        state.withLock { state in state.files.compactMap { $0?.progress } }
    }

    /// The totals now, and the first `activeLimit` active files. Each call adds a sample to the
    /// speed's window; `now` is in seconds.
    public func snapshot(activeLimit: Int = 8, now: Double = Date().timeIntervalSince1970) -> ProgressSnapshot {
        state.withLock { state in
            state.samples.append((now, state.sent))
            state.samples.removeAll { now - $0.time > window }
            var speed = 0.0
            if let first = state.samples.first, now - first.time > 0.2 {
                speed = Double(state.sent - first.sent) / (now - first.time)
            }
            let remaining = Double(state.total - state.confirmed)
            let eta: Double? = remaining <= 0 ? 0 : (speed > 0 ? remaining / speed : nil)
            let active = state.active.sorted().prefix(activeLimit).compactMap { state.files[$0]?.progress }
            return ProgressSnapshot(
                active: active, activeCount: state.active.count, fileCount: state.fileCount,
                completedCount: state.completed, confirmedBytes: state.confirmed, totalBytes: state.total,
                sentBytes: state.sent, speed: speed, eta: eta)
        }
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
