import Foundation
import UploadModel

extension PaneSpec where Row == UploadSession {
    /// The Files pane: the selected group's files.
    static var files: PaneSpec {
        PaneSpec(
            pane: .files,
            columns: [
                Column("FILE", width: 12, fits: true, priority: 10),
                Column("STATUS", width: 10, priority: 9),
                Column("SIZE", width: 9, alignRight: true, priority: 7),
                Column("PROGRESS", width: 16, priority: 8),
                Column("PARTS", width: 11, alignRight: true, priority: 6),
                Column("SPEED", width: 10, alignRight: true, priority: 5),
                Column("ETA", width: 7, alignRight: true, priority: 4),
                Column("LAST ERROR", width: 10, flexible: true, priority: 3),
            ],
            sorts: [
                Sort(name: "created", descending: false) { .time($0.createdAt) },
                Sort(name: "name", descending: false) { .text($0.fileName.lowercased()) },
                Sort(name: "status", descending: false) { .text($0.status.rawValue) },
                Sort(name: "progress", descending: false) { .number(Dashboard.fraction($0.bytesUploaded, $0.size)) },
                Sort(name: "size", descending: false) { .number(Double($0.size)) },
                Sort(name: "activity", descending: false) { .time($0.lastActivityAt) },
            ],
            id: { $0.id },
            matches: { session, text in
                session.fileName.lowercased().contains(text) || session.id.lowercased().contains(text)
                    || session.status.rawValue.lowercased().contains(text)
            },
            cells: { session, dashboard, now in
                let stalled = dashboard.isStalled(session, now: now)
                let moving = session.status == .uploading || session.status == .pending
                let rate = moving ? dashboard.sessionRate(session.id, now: now) : 0
                let remaining = Double(max(0, session.size - session.bytesUploaded))
                let eta = session.status == .uploading && rate > 0 ? Format.clock(remaining / rate) : "-"
                let fraction = session.status == .completed ? 1 : Dashboard.fraction(session.bytesUploaded, session.size)
                return [
                    .text(session.fileName, stalled ? .stalled : .normal),
                    .text(stalled ? "STALLED" : session.status.rawValue, stalled ? .stalled : Style.forStatus(session.status.rawValue)),
                    .plain(Format.bytes(session.size)),
                    .bar(fraction, Format.percent(fraction)),
                    .plain("\(Format.count(session.completedParts))/\(Format.count(session.totalParts))"),
                    .plain(Format.rate(rate)),
                    .plain(eta),
                    .text(session.error.map { "\($0.code): \($0.message)" } ?? "", .error),
                ]
            })
    }
}
