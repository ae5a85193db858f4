import Foundation
import UploadModel

/// `upman top --once`: the groups as one plain-text table (or JSON), for scripts and
/// `ssh host upman top --once`.
public enum GroupReport {
    /// The groups as an aligned text table with a totals line, `width` columns wide at most.
    public static func text(_ groups: [UploadGroup], totalGroups: Int, now: Date, width: Int = 120) -> String {
        let columns = [
            Column("NAME", width: 16, flexible: true, priority: 10),
            Column("STATUS", width: 11, priority: 9),
            Column("FILES", width: 11, alignRight: true, priority: 8),
            Column("DONE", width: 4, alignRight: true, priority: 7),
            Column("BYTES", width: 19, alignRight: true, priority: 6),
            Column("FAILED", width: 6, alignRight: true, priority: 5),
            Column("ACTIVE", width: 6, alignRight: true, priority: 4),
            Column("ID", width: 26, priority: 3),
        ]
        let layout = Column.layout(columns, width: max(40, width))
        func line(_ cells: [String]) -> String {
            var out = ""
            for slot in layout {
                if !out.isEmpty { out += " " }
                out += TextWidth.fit(cells[slot.index], to: slot.width, alignRight: columns[slot.index].alignRight)
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        var lines = [line(columns.map(\.title))]
        for group in groups {
            let fraction = group.status == .completed ? 1 : (group.plannedBytes > 0 ? Double(group.bytesUploaded) / Double(group.plannedBytes) : 0)
            lines.append(line([
                group.name, group.status.rawValue,
                group.plannedCounters.filesDone, Format.percent(fraction), group.plannedCounters.bytesDone,
                String(group.failedFiles), Format.age(from: group.lastActivityAt, now: now), group.id,
            ]))
        }
        if groups.isEmpty { lines.append("(no upload groups)") }
        let noun = totalGroups == 1 ? "group" : "groups"
        let shown = groups.count < totalGroups ? "\(Format.count(groups.count)) of \(Format.count(totalGroups)) \(noun)" : "\(Format.count(totalGroups)) \(noun)"
        let sums = GroupSums(groups).counters
        lines.append(
            "\(shown) · files \(sums.filesDone) done, \(Format.count(sums.failedFiles)) failed · \(sums.bytesDone)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The snapshot as JSON: `{"groups":[...], "totalGroups":N, "latestEventId":N}`.
    public static func json(_ groups: [UploadGroup], totalGroups: Int, latestEventId: Int64) throws -> String {
        struct Report: Encodable {
            var groups: [UploadGroup]
            var totalGroups: Int
            var latestEventId: Int64
        }
        return try UploadJSON.string(Report(groups: groups, totalGroups: totalGroups, latestEventId: latestEventId)) + "\n"
    }
}
