import Foundation
import UploadModel

/// Writes a realistic upman database through the repositories: groups of mixed files in every
/// status, failed parts with reasons, jobs in every state, and the event log all that leaves.
/// The same options give the same database.
public struct FixtureGenerator: Sendable {
    /// What to make.
    public let options: FixtureOptions

    /// Creates a generator.
    public init(options: FixtureOptions) {
        self.options = options
    }

    /// Writes the fixtures into `store`, calling `progress` with the number of groups done after
    /// each transaction.
    public func write(into store: UploadStore, progress: (Int) -> Void = { _ in }) throws -> FixtureReport {
        var rng = SeededGenerator(seed: options.seed)
        var report = FixtureReport()
        let span: TimeInterval = 48 * 3600
        let start = Timestamp.truncated(options.now).addingTimeInterval(-span)
        let step = options.groups > 0 ? span / Double(options.groups) : 0
        var done = 0
        while done < options.groups {
            let batch = min(options.groupsPerTransaction, options.groups - done)
            try store.write(actedBy: "fixtures", at: start.addingTimeInterval(step * Double(done))) { tx in
                for index in done..<(done + batch) {
                    tx.now = start.addingTimeInterval(step * Double(index))
                    var writer = FixtureGroupWriter(tx: tx, index: index, recent: index >= options.groups - max(1, options.groups / 20))
                    try writer.write(files: options.filesPerGroup, rng: &rng, report: &report)
                }
            }
            done += batch
            progress(done)
        }
        report.events = try store.reader.snapshot { try $0.latestEventId() }
        return report
    }
}
