import Dispatch
import Foundation

/// Writes lines to standard output or standard error in the order they were given, on a serial
/// queue of its own, so that callers on the cooperative pool never block on a slow terminal or a
/// full pipe.
final class LineWriter: Sendable {
    /// Where a line goes.
    enum Stream: Sendable {
        case output, error
    }

    private let queue = DispatchQueue(label: "upman.lines")

    /// Queues `line` (a newline is added).
    func write(_ line: String, to stream: Stream = .output) {
        queue.async {
            let handle = stream == .output ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data((line + "\n").utf8))
        }
    }

    /// Returns once every queued line is written.
    func flush() {
        queue.sync {}
    }
}
