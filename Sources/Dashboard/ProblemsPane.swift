import Foundation
import UploadModel

extension PaneSpec where Row == ProblemRow {
    /// The problems view: FAILED, EXPIRED and STALLED files and FAILED jobs across all groups,
    /// newest first.
    static var problems: PaneSpec {
        PaneSpec(
            pane: .problems,
            columns: [
                Column("WHEN", width: 4, alignRight: true, priority: 8),
                Column("WHAT", width: 4, fits: true, priority: 7),
                Column("STATUS", width: 8, priority: 10),
                Column("GROUP", width: 8, fits: true, priority: 6),
                Column("FILE", width: 10, fits: true, priority: 9),
                Column("ERROR", width: 12, flexible: true, priority: 9),
            ],
            sorts: [
                Sort(name: "time", descending: true) { .time($0.time) },
                Sort(name: "group", descending: false) { .text($0.groupName.lowercased()) },
                Sort(name: "file", descending: false) { .text($0.fileName.lowercased()) },
            ],
            id: { $0.id },
            matches: { row, text in
                row.groupName.lowercased().contains(text) || row.fileName.lowercased().contains(text)
                    || (row.error.map { "\($0.code): \($0.message)".lowercased().contains(text) } ?? false)
            },
            cells: { row, dashboard, now in
                let what: String
                let status: String
                switch row.subject {
                case .session(let session):
                    what = "file"
                    status = dashboard.isStalled(session, now: now) ? "STALLED" : session.status.rawValue
                case .job(let job):
                    what = job.kind
                    status = job.status.rawValue
                }
                return [
                    .text(dashboard.age(from: row.time, now: now), .dim),
                    .plain(what),
                    .text(status, status == "STALLED" ? .stalled : Style.forStatus(status)),
                    .plain(row.groupName),
                    .plain(row.fileName),
                    .text(row.error.map { "\($0.code): \($0.message)" } ?? (status == "STALLED" ? "no progress for a while" : ""), .error),
                ]
            },
            rows: { source, now in
                try source.problems(stalledBefore: now.addingTimeInterval(-Dashboard.stallAfter), limit: Dashboard.problemLimit)
            })
    }
}
