import Foundation
import UploadClient

/// Draws the progress of `upman put` on a terminal: one line per active file and a total line,
/// redrawn in place at most ten times a second. Bytes shown are those the server confirmed.
final class ProgressRenderer: @unchecked Sendable {
    private let tracker: ProgressTracker
    private let lock = NSLock()
    private var drawnLines = 0
    private var messages: [String] = []
    private var task: Task<Void, Never>?
    private let width: Int

    init(tracker: ProgressTracker, width: Int = 100) {
        self.tracker = tracker
        self.width = width
    }

    /// Starts redrawing.
    func start() {
        task = Task { [weak self] in
            while !Task.isCancelled {
                self?.draw()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Prints a line above the progress block.
    func note(_ line: String) {
        lock.withLock { messages.append(line) }
    }

    /// Draws one last time and stops.
    func stop() {
        task?.cancel()
        draw()
    }

    private func draw() {
        lock.withLock {
            var out = ""
            if drawnLines > 0 { out += "\u{1B}[\(drawnLines)F" }
            for message in messages { out += "\u{1B}[2K" + message + "\n" }
            messages.removeAll()
            let snapshot = tracker.snapshot()
            var lines: [String] = snapshot.active.map(line(for:))
            if snapshot.activeCount > lines.count { lines.append("  … and \(snapshot.activeCount - lines.count) more") }
            var total = String(format: "total %d/%d files %5.1f%%  ", snapshot.completedCount, snapshot.fileCount, snapshot.fraction * 100)
            total += "\(ByteFormat.size(snapshot.confirmedBytes)) / \(ByteFormat.size(snapshot.totalBytes))"
            total += "  \(ByteFormat.size(Int64(snapshot.speed)))/s"
            if let eta = snapshot.eta, snapshot.confirmedBytes < snapshot.totalBytes { total += "  ETA \(ByteFormat.duration(eta))" }
            lines.append(total)
            for line in lines { out += "\u{1B}[2K" + String(line.prefix(width)) + "\n" }
            for _ in lines.count..<max(lines.count, drawnLines) { out += "\u{1B}[2K\n" }
            drawnLines = max(lines.count, drawnLines)
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    private func line(for file: FileProgress) -> String {
        let fraction = file.size > 0 ? Double(file.confirmedBytes) / Double(file.size) : 1
        let filled = Int(fraction * 20)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
        let name = file.name.count > 28 ? "…" + file.name.suffix(27) : file.name.padding(toLength: 28, withPad: " ", startingAt: 0)
        let state = file.state == .processing ? "processing" : "parts \(file.partsDone)/\(file.totalParts)"
        return "  \(name) [\(bar)] \(String(format: "%5.1f%%", fraction * 100))  \(ByteFormat.size(file.confirmedBytes))/\(ByteFormat.size(file.size))  \(state)"
    }
}
