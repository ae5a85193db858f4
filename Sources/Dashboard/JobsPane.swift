import Foundation
import UploadModel

extension PaneSpec where Row == ProcessingJob {
    /// The Jobs pane: the selected file's processing jobs.
    static var jobs: PaneSpec {
        PaneSpec(
            pane: .jobs,
            columns: [
                Column("KIND", width: 12, priority: 10),
                Column("STATUS", width: 9, priority: 9),
                Column("ATT", width: 3, alignRight: true, priority: 5),
                Column("TIME", width: 5, alignRight: true, priority: 4),
                Column("OUTPUT / ERROR", width: 8, flexible: true, priority: 8),
            ],
            sorts: [
                Sort(name: "order", descending: false) { .number(Double($0.position)) },
                Sort(name: "status", descending: false) { .text($0.status.rawValue) },
                Sort(name: "kind", descending: false) { .text($0.kind) },
            ],
            id: { $0.id },
            matches: { job, text in job.kind.lowercased().contains(text) || job.status.rawValue.lowercased().contains(text) },
            cells: { job, _, now in
                let duration = job.startedAt.map { Format.duration((job.finishedAt ?? now).timeIntervalSince($0)) } ?? "-"
                let detail: TableCell = if let error = job.error {
                    .text("\(error.code): \(error.message)", .error)
                } else {
                    .text((job.output ?? "").replacingOccurrences(of: "\n", with: " "), .dim)
                }
                return [
                    .plain(job.kind),
                    .text(job.status.rawValue, Style.forStatus(job.status.rawValue)),
                    .plain("\(job.attempts)/\(job.maxAttempts)"),
                    .plain(duration),
                    detail,
                ]
            })
    }
}
