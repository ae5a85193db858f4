import Foundation

/// What `upman demo`'s simulated uploaders did: one line per notable event on stdout (headless
/// runs only) and the counts for the closing summary.
final class DemoLog: @unchecked Sendable {
    /// The things the summary counts.
    enum Counter: CaseIterable {
        case groups, completed, failed, cancelled, partRetries, jobFailures, operatorRetries, stalled
    }

    private let lock = NSLock()
    private let echo: Bool
    private let start = Date()
    private var counts: [Counter: Int] = [:]

    /// Creates a log that prints its lines when `echo` is true.
    init(echo: Bool) {
        self.echo = echo
    }

    /// Prints one line stamped with the seconds since the demo started.
    func say(_ text: String) {
        guard echo else { return }
        let line = String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + text + "\n"
        lock.withLock { FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    /// Adds one to a counter.
    func bump(_ counter: Counter) {
        lock.withLock { counts[counter, default: 0] += 1 }
    }

    /// A counter's value.
    func count(_ counter: Counter) -> Int {
        lock.withLock { counts[counter, default: 0] }
    }

    /// The closing line: groups, files, retries, jobs and stalls.
    var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "summary: \(plural(count(.groups), "group")), \(count(.completed)) completed, \(count(.failed)) failed, "
            + "\(count(.cancelled)) interrupted, \(plural(count(.partRetries), "part")) retried, "
            + "\(plural(count(.jobFailures), "job")) failed"
            + (count(.operatorRetries) > 0 ? " (\(count(.operatorRetries)) retried by the operator), " : ", ")
            + "\(count(.stalled)) stalled upload\(count(.stalled) == 1 ? "" : "s")"
    }
}
