import Foundation
import UploadModel

/// One line of an entity's history: when, its status before → after, who acted, and how many
/// events in a row it stands for (progress events that changed no status are folded together).
struct HistoryEntry: Equatable {
    /// When the (last folded) change was committed.
    var time: Date
    /// The status before, nil for the first event kept.
    var before: String?
    /// The status after (`deleted` for a deletion).
    var after: String
    /// Who acted: a user, `admin:NAME`, `system`, `storage`, or `?` when not recorded.
    var actedBy: String
    /// Events folded into this line.
    var count = 1

    /// The entries of events oldest first; consecutive events with the same status and actor fold.
    static func entries(_ events: [UploadEvent]) -> [HistoryEntry] {
        var out: [HistoryEntry] = []
        var previous: String?
        for event in events {
            guard let change = try? event.change() else { continue }
            let (status, actor) = describe(change)
            if var last = out.last, last.after == status, last.actedBy == actor, previous == status {
                last.count += 1
                last.time = event.createdAt
                out[out.count - 1] = last
            } else {
                out.append(HistoryEntry(time: event.createdAt, before: previous, after: status, actedBy: actor))
            }
            previous = status
        }
        return out
    }

    private static func describe(_ change: EntityChange) -> (String, String) {
        switch change {
        case .group(let group): (group.status.rawValue, group.actedBy ?? "?")
        case .session(let session): (session.status.rawValue, session.actedBy ?? "?")
        case .part(let part): (part.status.rawValue, part.actedBy ?? "?")
        case .job(let job): (job.status.rawValue, job.actedBy ?? "?")
        case .deleted(let gone): ("deleted", gone.actedBy ?? "?")
        }
    }
}
