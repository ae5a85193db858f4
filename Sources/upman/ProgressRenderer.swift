import Dashboard
import Dispatch
import Foundation
import Terminal
import UploadClient

/// Draws the progress of `upman put` on a terminal: one line per active file, a line while the
/// server is away, and a total line, redrawn in place ten times a second. The lines are cut to the
/// terminal's width (read with ioctl TIOCGWINSZ at the start and again on each SIGWINCH), so a
/// redraw never leaves stale copies behind. Everything runs on one serial queue of its own: the
/// writes to the terminal never block the cooperative pool. In a locale whose character set is
/// not UTF-8 the lines are written in ASCII (`ASCIIFallback`), as the dashboard does.
final class ProgressRenderer: @unchecked Sendable {
    private let tracker: ProgressTracker
    private let wait: ServerWait?
    private let queue = DispatchQueue(label: "upman.put.progress")
    private let ascii = !TerminalLocale.isUTF8()
    // Confined to `queue`:
    private var block = ProgressBlock()
    private var notes: [String] = []
    private var size = TerminalSize(columns: 80, rows: 24)
    private var timer: DispatchSourceTimer?
    private var resized: DispatchSourceSignal?

    /// A renderer of `tracker`'s progress, showing `wait`'s outages.
    init(tracker: ProgressTracker, wait: ServerWait?) {
        self.tracker = tracker
        self.wait = wait
    }

    /// Starts redrawing.
    func start() {
        queue.sync {
            readSize()
            let resized = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
            resized.setEventHandler { [weak self] in
                self?.readSize()
                self?.draw()
            }
            resized.resume()
            self.resized = resized
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: .milliseconds(100))
            timer.setEventHandler { [weak self] in self?.draw() }
            timer.resume()
            self.timer = timer
        }
    }

    /// Prints a line above the progress block (escape what people chose before passing it).
    func note(_ line: String) {
        queue.async { self.notes.append(line) }
    }

    /// Draws one last time and stops.
    func stop() {
        queue.sync {
            timer?.cancel()
            resized?.cancel()
            timer = nil
            resized = nil
            draw()
        }
    }

    private func readSize() {
        if let current = TerminalSize.of(STDOUT_FILENO) { size = current }
    }

    private func draw() {
        let frame = ProgressFrame(snapshot: tracker.snapshot(), outage: wait?.current, patience: wait?.patience)
        let text = block.frame(notes: notes, lines: frame.lines(width: size.columns, height: size.rows), width: size.columns)
        notes.removeAll()
        FileHandle.standardOutput.write(Data((ascii ? ASCIIFallback.string(text) : text).utf8))
    }
}
