import Foundation
import UploadModel

extension PaneSpec where Row == FilePart {
    /// The Parts pane: the selected file's parts (under a map of all of them).
    static var parts: PaneSpec {
        PaneSpec(
            pane: .parts,
            columns: [
                Column("#", width: 6, alignRight: true, priority: 10),
                Column("SIZE", width: 9, alignRight: true, priority: 8),
                Column("STATUS", width: 9, priority: 9),
                Column("ATT", width: 3, alignRight: true, priority: 6),
                Column("ETAG", width: 10, priority: 4),
                Column("ERROR", width: 8, flexible: true, priority: 7),
            ],
            sorts: [
                Sort(name: "number", descending: false) { .number(Double($0.partNumber)) },
                Sort(name: "status", descending: false) { .text($0.status.rawValue) },
                Sort(name: "attempts", descending: false) { .number(Double($0.attempts)) },
            ],
            id: { $0.id },
            matches: { part, text in
                String(part.partNumber) == text || part.status.rawValue.lowercased().contains(text)
                    || (part.error?.message.lowercased().contains(text) ?? false)
            },
            cells: { part, _, _ in
                [
                    .plain(String(part.partNumber)),
                    .plain(Format.bytes(part.size)),
                    .text(part.status.rawValue, Style.forStatus(part.status.rawValue)),
                    .plain(String(part.attempts)),
                    .text(part.etag.map { $0.replacingOccurrences(of: "\"", with: "") } ?? "-", .dim),
                    .text(part.error.map { "\($0.code): \($0.message)" } ?? "", .error),
                ]
            })
    }
}
