import Foundation

/// What `upman demo`'s simulated uploaders did: one line per notable event on stdout (headless
/// runs only) and the counts for the closing summary. Files are counted by how they ended last
/// (a file that failed and was then retried to success counts once, as completed); the other
/// counters count events.
final class DemoLog: @unchecked Sendable {
    /// The events the summary counts.
    enum Counter: CaseIterable {
        case groups, partRetries, jobFailures, operatorRetries, stalled
    }

    /// How a file ended (so far).
    enum Ending: CaseIterable {
        case completed, failed, interrupted
    }

    private let lock = NSLock()
    private let echo: Bool
    private let start = Date()
    private var counts: [Counter: Int] = [:]
    private var endings: [String: Ending] = [:]

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

    /// Records how the file `key` (group/name) ended; a later ending replaces an earlier one.
    func ended(_ key: String, _ ending: Ending) {
        lock.withLock { endings[key] = ending }
    }

    /// Files whose latest ending is `ending`.
    func count(_ ending: Ending) -> Int {
        lock.withLock { endings.values.count { $0 == ending } }
    }

    /// The closing line: groups, files by how they ended, retries, jobs and stalls.
    var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "summary: \(plural(count(.groups), "group")), \(count(Ending.completed)) completed, \(count(Ending.failed)) failed, "
            + "\(count(Ending.interrupted)) interrupted, \(plural(count(.partRetries), "part")) retried, "
            + "\(plural(count(.jobFailures), "job")) failed"
            + (count(.operatorRetries) > 0 ? " (\(count(.operatorRetries)) retried by the operator), " : ", ")
            + "\(count(.stalled)) stalled upload\(count(.stalled) == 1 ? "" : "s")"
    }
}
