import UploadModel

/// Reads parts and moves them through their lifecycle; their session's counters follow.
public struct FilePartRepository {
    let tx: StoreTransaction

    /// Part `partNumber` of `sessionId`, if any.
    public func find(sessionId: String, partNumber: Int) throws -> FilePart? {
        try tx.db.record(key: FilePart.makeId(sessionId: sessionId, partNumber: partNumber))
    }

    /// Part `partNumber` of `sessionId`, or a `notFound` error.
    public func get(sessionId: String, partNumber: Int) throws -> FilePart {
        guard let part = try find(sessionId: sessionId, partNumber: partNumber) else {
            throw UploadError(.notFound, "session \(sessionId) has no part \(partNumber)")
        }
        return part
    }

    /// Every part of a session, by number.
    public func forSession(_ sessionId: String) throws -> [FilePart] {
        try tx.db.records("SELECT * FROM file_parts WHERE sessionId = ? ORDER BY partNumber", [sessionId])
    }

    /// Moves a part to `status` if the lifecycle allows it. A move to UPLOADING, or straight to
    /// UPLOADED or FAILED from elsewhere than UPLOADING, counts one more attempt.
    @discardableResult
    public func transition(
        sessionId: String, partNumber: Int, to status: PartStatus, etag: String? = nil,
        checksum: String? = nil, error: ErrorDetail? = nil
    ) throws -> FilePart {
        var part = try get(sessionId: sessionId, partNumber: partNumber)
        let old = part.status
        try UploadLifecycle.checkMove(from: part.status, to: status, id: part.id)
        if status == .uploading || (part.status != .uploading && (status == .uploaded || status == .failed)) {
            part.attempts += 1
        }
        switch status {
        case .uploaded:
            part.etag = etag ?? part.etag
            part.checksum = checksum ?? part.checksum
            part.uploadedAt = tx.now
            part.error = nil
        case .failed:
            part.error = error ?? part.error
        case .pending:
            part.etag = nil
            part.checksum = nil
            part.uploadedAt = nil
            if let error { part.error = error }
        case .uploading:
            break
        }
        part.status = status
        return try save(part, from: old)
    }

    /// Records that a part's bytes arrived with `etag`, kept in its quoted form (`"x"`, as S3 writes
    /// it; see ``EntityTag``). Idempotent: the same report again, quoted or not, changes nothing; a
    /// new ETag for an UPLOADED part (it was sent again) replaces the old one.
    @discardableResult
    public func markUploaded(sessionId: String, partNumber: Int, etag: String, checksum: String? = nil) throws -> FilePart {
        let etag = EntityTag(etag)?.quoted ?? etag
        let part = try get(sessionId: sessionId, partNumber: partNumber)
        guard part.status == .uploaded else {
            return try transition(sessionId: sessionId, partNumber: partNumber, to: .uploaded, etag: etag, checksum: checksum)
        }
        let sameTag = part.etag == etag || EntityTag.same(part.etag, etag)
        guard !sameTag || (checksum != nil && checksum != part.checksum) else { return part }
        var resent = part
        resent.etag = etag
        resent.checksum = checksum ?? (sameTag ? part.checksum : nil)
        resent.attempts += 1
        resent.uploadedAt = tx.now
        return try save(resent, from: part.status)
    }

    @discardableResult
    private func save(_ part: FilePart, from old: PartStatus) throws -> FilePart {
        var part = part
        part.updatedAt = tx.now
        part.actedBy = tx.actedBy
        try part.updateRow(tx.db)
        try tx.record(.part(part))
        tx.touchSession(
            part.sessionId, group: part.groupId, by: SessionDelta.move(size: part.size, from: old, to: part.status))
        return part
    }
}
