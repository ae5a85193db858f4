import Foundation

/// A session's recorded parts compared with what the storage holds (S3 ListParts, or HeadObject
/// for a single PUT), part by part: the storage is the truth.
///
/// The rule is DESIGN v1.1's "a part counts as UPLOADED only when the storage holds it; entity
/// tags compare without quotes": a planned part the storage holds at its planned size counts,
/// with the storage's ETag; one it does not hold (or holds at another size, which S3 would refuse
/// at completion as InvalidPart or EntityTooSmall) is missing, and if it was recorded UPLOADED
/// that record is wrong and the part is reopened, so the uploader sends it again.
public struct PartAudit: Sendable, Hashable {
    /// Parts the storage holds at their planned size whose record is not UPLOADED with that ETag:
    /// record them UPLOADED with the storage's ETag. In part-number order.
    public var record: [StoredPart] = []
    /// Parts recorded UPLOADED (before the listing began) that the storage does not hold at their
    /// planned size: reopen them. In part-number order.
    public var reopen: [Int] = []
    /// Planned parts the storage does not hold at their planned size. In part-number order.
    public var missing: [Int] = []

    /// Whether the storage holds every planned part at its planned size.
    public var isComplete: Bool { missing.isEmpty }

    /// Whether applying the audit changes any record.
    public var changesRecords: Bool { !record.isEmpty || !reopen.isEmpty }

    /// Compares `recorded` (the session's parts) with `held` (the storage's listing, begun at
    /// `listedAt`) for `plan`. A part recorded at or after `listedAt` is never reopened: it may
    /// have arrived after the listing was taken.
    ///
    /// A listing may name a part number more than once: SeaweedFS (4.48) keeps every PUT of a part
    /// and lists each, in no set order, and its CompleteMultipartUpload joins whichever one the
    /// request names by ETag. The entry at the planned size with the recorded ETag is then the one
    /// that counts; failing that, the last one listed at the planned size.
    public init(plan: PartPlan, recorded: [FilePart], held: [StoredPart], listedAt: Date) {
        var recordedByNumber: [Int: FilePart] = [:]
        for part in recorded { recordedByNumber[part.partNumber] = part }
        var heldByNumber: [Int: StoredPart] = [:]
        for part in held where part.size == plan.part(part.partNumber)?.size {
            let known = recordedByNumber[part.partNumber]
            if let chosen = heldByNumber[part.partNumber], EntityTag.same(known?.etag, chosen.etag) { continue }
            heldByNumber[part.partNumber] = part
        }
        for planned in plan.parts {
            let known = recordedByNumber[planned.partNumber]
            if let stored = heldByNumber[planned.partNumber] {
                if known?.status != .uploaded || !EntityTag.same(known?.etag, stored.etag) {
                    record.append(stored)
                }
                continue
            }
            missing.append(planned.partNumber)
            if let known, known.status == .uploaded, known.updatedAt < listedAt {
                reopen.append(planned.partNumber)
            }
        }
    }

    /// `1, 2, 3` (at most 20 numbers, then `…`), for messages.
    public static func list(_ numbers: [Int]) -> String {
        numbers.prefix(20).map(String.init).joined(separator: ", ") + (numbers.count > 20 ? ", …" : "")
    }
}
