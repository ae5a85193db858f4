import UploadModel

/// How one session's derived counters move as its parts change: the number of UPLOADED parts,
/// their bytes, and the number of parts that have left PENDING. Pure arithmetic, summed over the
/// part changes of one transaction and applied to the session row once (no scan of its parts).
struct SessionDelta: Equatable, Sendable {
    /// Change in the count of UPLOADED parts.
    var completedParts = 0
    /// Change in the bytes of UPLOADED parts.
    var bytesUploaded: Int64 = 0
    /// Change in the count of parts not PENDING (a PENDING session with a positive value starts).
    var startedParts = 0

    /// Nothing moved.
    static let zero = SessionDelta()

    /// The delta of one part of `size` bytes moving from `old` to `new` status.
    static func move(size: Int64, from old: PartStatus, to new: PartStatus) -> SessionDelta {
        let done = (new == .uploaded ? 1 : 0) - (old == .uploaded ? 1 : 0)
        let started = (new != .pending ? 1 : 0) - (old != .pending ? 1 : 0)
        return SessionDelta(completedParts: done, bytesUploaded: Int64(done) * size, startedParts: started)
    }

    /// Adds another delta to this one.
    static func += (lhs: inout SessionDelta, rhs: SessionDelta) {
        lhs.completedParts += rhs.completedParts
        lhs.bytesUploaded += rhs.bytesUploaded
        lhs.startedParts += rhs.startedParts
    }

    /// `session` with the counters moved and, if it was PENDING and parts started, UPLOADING
    /// (the same rule as the full recount: a PENDING session has no started parts, so a net
    /// positive count of started parts means some have started).
    func applied(to session: UploadSession) -> UploadSession {
        var updated = session
        updated.completedParts += completedParts
        updated.bytesUploaded += bytesUploaded
        if updated.status == .pending && startedParts > 0 {
            updated.status = .uploading
        }
        return updated
    }
}
