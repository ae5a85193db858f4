import Foundation
import UploadModel

extension PaneSpec where Row == UploadGroup {
    /// The Groups pane: every group, paged from the database.
    static var groups: PaneSpec {
        PaneSpec(
            pane: .groups,
            columns: [
                Column("NAME", width: 12, fits: true, priority: 10),
                Column("STATUS", width: 11, priority: 9),
                Column("FILES", width: 11, alignRight: true, priority: 8),
                Column("PROGRESS", width: 16, flexible: true, priority: 7),
                Column("BYTES", width: 19, alignRight: true, priority: 4),
                Column("SPEED", width: 10, alignRight: true, priority: 5),
                Column("AGE", width: 4, alignRight: true, priority: 3),
                Column("ERR", width: 4, alignRight: true, priority: 6),
            ],
            sorts: [
                Sort(name: "activity", descending: true) { .time($0.lastActivityAt) },
                Sort(name: "name", descending: false) { .text($0.name.lowercased()) },
                Sort(name: "status", descending: false) { .text($0.status.rawValue) },
                Sort(name: "progress", descending: true) { .number(Dashboard.fraction($0.bytesUploaded, $0.totalBytes)) },
                Sort(name: "size", descending: true) { .number(Double($0.totalBytes)) },
                Sort(name: "errors", descending: true) { .number(Double($0.failedFiles)) },
                Sort(name: "created", descending: true) { .time($0.createdAt) },
            ],
            id: { $0.id },
            matches: { group, text in group.name.lowercased().contains(text) || group.id.contains(text) },
            cells: { group, dashboard, now in
                let stalled = dashboard.isStalled(group, now: now)
                let status = stalled ? "STALLED" : group.status.rawValue
                let done = group.status == .completed && group.completedFiles >= group.plannedFiles
                let fraction = done ? 1 : Dashboard.fraction(group.bytesUploaded, group.plannedBytes)
                let moving = group.status == .inProgress || group.status == .pending
                return [
                    .text(group.name, stalled ? .stalled : .normal),
                    .text(status, stalled ? .stalled : Style.forStatus(group.status.rawValue)),
                    .plain(group.plannedCounters.filesDone),
                    .bar(fraction, Format.percent(fraction)),
                    .plain(group.plannedCounters.bytesDone),
                    .plain(moving ? Format.rate(dashboard.groupRate(group.id, now: now)) : "-"),
                    .text(dashboard.age(from: group.createdAt, now: now), .dim),
                    .text(group.failedFiles > 0 ? String(group.failedFiles) : "-", group.failedFiles > 0 ? .error : .dim),
                ]
            })
    }
}
