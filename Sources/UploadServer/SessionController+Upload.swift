import Foundation
import ObjectStorage
import UploadModel
import UploadStore

extension SessionController {
    /// `name` when it may name a group (at most 512 bytes, without NUL); else `invalidArgument`
    /// naming `field`, where it came from. `createGroup` and tus's `group` metadata share it.
    static func checkedGroupName(_ name: String, _ field: String) throws -> String {
        guard name.utf8.count <= 512, !name.contains("\0") else {
            throw UploadError(.invalidArgument, "\(field) must be at most 512 bytes, without NUL")
        }
        return name
    }

    /// `createGroup`: a new, empty group owned by the caller.
    func createGroup(_ request: ControllerRequest.CreateGroup, _ principal: Principal) async throws -> ControllerResponse.GroupResult {
        let name = try Self.checkedGroupName(try Self.required(request.name, "name"), "name")
        if let files = request.expectedFiles, !(0...100_000_000).contains(files) {
            throw UploadError(.invalidArgument, "expectedFiles must be between 0 and 100000000")
        }
        if let bytes = request.expectedBytes, bytes < 0 {
            throw UploadError(.invalidArgument, "expectedBytes must not be negative")
        }
        try checkLinkGroup(named: name, principal)
        let group = UploadGroup(id: UploadID.make("grp"), userId: principal.userId, name: name,
                                description: request.description, expectedFiles: request.expectedFiles,
                                expectedBytes: request.expectedBytes, createdAt: Timestamp.now())
        let created = try await store.transaction(actedBy: principal.actor) { tx in try tx.groups.create(group) }
        return ControllerResponse.GroupResult(group: created)
    }

    /// `initiate` in either form: one file answers ``ControllerResponse/Initiated``, a batch
    /// ``ControllerResponse/InitiatedBatch``.
    func initiate(_ body: ControllerRequest.InitiateBody, _ principal: Principal) async throws -> String {
        switch body {
        case .one(let request): try encode(try await initiate(request, principal))
        case .many(let batch): try encode(try await initiate(batch, principal))
        }
    }

    /// Checks one file's name, fingerprint and SHA-256 and plans it; 400 `invalidArgument` (or
    /// `fileTooLarge`) naming the field that is wrong.
    func plan(fileName: String, size: Int64, fingerprint: String?, sha256: String?, partSize: Int64?) throws -> PartPlan {
        let fileName = try Self.required(fileName, "fileName")
        guard fileName.utf8.count <= 1024, !fileName.contains("\0") else {
            throw UploadError(.invalidArgument, "fileName must be at most 1024 bytes, without NUL")
        }
        if let fingerprint, fingerprint.utf8.count > 256 {
            throw UploadError(.invalidArgument, "fingerprint must be at most 256 bytes")
        }
        if let sha256 {
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
                throw UploadError(.invalidArgument, "sha256 must be 64 hex digits")
            }
        }
        return try configuration.planner.plan(fileSize: size, partSize: partSize)
    }

    /// `initiate`: plans the file, prepares storage, and records the session (and its group).
    func initiate(_ request: ControllerRequest.Initiate, _ principal: Principal) async throws -> ControllerResponse.Initiated {
        let plan = try self.plan(
            fileName: request.fileName, size: request.size, fingerprint: request.fingerprint, sha256: request.sha256,
            partSize: request.partSize)
        let fileName = request.fileName
        if let groupId = request.groupId {
            let group = try await visibleGroup(groupId, principal)
            try checkLinkGroup(named: group.name, principal)
            guard group.status != .cancelled else { throw UploadError(.conflict, "group \(groupId) is cancelled") }
            // The same file into the same group while its session still waits for bytes: the
            // caller is repeating an initiate whose answer it lost (a restart, a reset
            // connection). It gets that session again, not a second one that would never finish.
            if let fingerprint = request.fingerprint,
               let open = try await store.reader.openSession(groupId: groupId, fileName: fileName, size: request.size, fingerprint: fingerprint),
               open.userId == principal.userId
            {
                return try again(open)
            }
        }
        if request.groupId == nil { try checkLinkGroup(named: nil, principal) }
        let (created, upload) = try await createSession(fileName: fileName, plan: plan, groupId: request.groupId, principal: principal) {
            $0.contentType = request.contentType
            $0.sha256 = request.sha256?.lowercased()
            $0.checksum = request.checksum
            $0.fingerprint = request.fingerprint
        }
        var response = ControllerResponse.Initiated(
            session: created, method: plan.method, partSize: plan.partSize, totalParts: plan.totalParts)
        if plan.method == .single, let part = plan.part(1) {
            let expiresAt = Date().addingTimeInterval(configuration.urlExpiry)
            response.url = try storage.partURL(upload, part: part, expiresAt: expiresAt).absoluteString
            response.expiresAt = Timestamp.truncated(expiresAt)
        }
        return response
    }

    /// Records a new PENDING session of `principal`'s for `fileName`, planned as `plan`: storage is
    /// prepared first (``ObjectStorage/begin(_:)``), then ONE transaction charges an upload link's
    /// allowance, makes the group when `groupId` is nil (named `newGroupName`, else after the file),
    /// creates the session (its other fields set by `details`) and runs `also`; when it fails, the
    /// storage upload is aborted. `initiate` and the tus endpoint both create sessions through it.
    /// With `uniqueName`, a group named `newGroupName` is made only if the caller has none of that
    /// name yet, checked inside the transaction; else it throws ``GroupNameTaken``. Without
    /// `chargesLink`, the bytes are not charged again (a tus final upload: its partial uploads were).
    func createSession(
        fileName: String, plan: PartPlan, groupId: String?, newGroupName: String? = nil, uniqueName: Bool = false,
        chargesLink: Bool = true, principal: Principal, details: (inout UploadSession) -> Void = { _ in },
        also: @escaping @Sendable (UploadSession, StoreTransaction) throws -> Void = { _, _ in }
    ) async throws -> (UploadSession, StorageUpload) {
        let newGroup = groupId == nil
        let groupId = groupId ?? UploadID.make("grp")
        let sessionId = UploadID.make("ses")
        let objectKey = ObjectKey.make(userId: principal.userId, groupId: groupId, sessionId: sessionId, fileName: fileName)
        var upload = StorageUpload(sessionId: sessionId, objectKey: objectKey, plan: plan)
        upload.uploadId = try await storage.begin(upload)
        var session = UploadSession(
            id: sessionId, groupId: groupId, userId: principal.userId, fileName: fileName, contentType: nil, size: plan.fileSize,
            sha256: nil, checksum: nil, fingerprint: nil, objectKey: objectKey, uploadId: upload.uploadId, method: plan.method,
            partSize: plan.partSize, totalParts: plan.totalParts, attempts: 1, createdAt: Timestamp.now())
        details(&session)
        let planned = session
        let created: UploadSession
        do {
            created = try await store.transaction(actedBy: principal.actor) { tx in
                if chargesLink { try chargeLink(planned.size, principal, in: tx) }
                if newGroup {
                    if uniqueName, let newGroupName, let taken = try tx.groups.latest(userId: principal.userId, name: newGroupName) {
                        throw GroupNameTaken(groupId: taken.id)
                    }
                    try tx.groups.create(UploadGroup(id: groupId, userId: principal.userId, name: newGroupName ?? fileName, createdAt: tx.now))
                }
                let created = try tx.sessions.create(planned)
                try also(created, tx)
                return created
            }
        } catch {
            try? await storage.abort(upload)
            throw error
        }
        metrics.sessionInitiated()
        return (created, upload)
    }

    /// The answer to an initiate that was already carried out: the session as it is now, and a
    /// fresh URL when it is a single PUT.
    func again(_ session: UploadSession) throws -> ControllerResponse.Initiated {
        let plan = Self.plan(of: session)
        var response = ControllerResponse.Initiated(
            session: session, method: plan.method, partSize: plan.partSize, totalParts: plan.totalParts)
        if plan.method == .single, let part = plan.part(1) {
            let expiresAt = Date().addingTimeInterval(configuration.urlExpiry)
            response.url = try storage.partURL(StorageUpload(session), part: part, expiresAt: expiresAt).absoluteString
            response.expiresAt = Timestamp.truncated(expiresAt)
        }
        return response
    }

    /// `signParts`: fresh signed URLs for parts of an open session.
    func signParts(_ request: ControllerRequest.SignParts, _ principal: Principal) async throws -> ControllerResponse.Signed {
        let session = try await visibleSession(request.sessionId, principal)
        try Self.requireOpen(session)
        guard !request.partNumbers.isEmpty, request.partNumbers.count <= 10_000 else {
            throw UploadError(.invalidArgument, "partNumbers must list 1 to 10,000 parts")
        }
        let lifetime = min(Double(request.expiresIn ?? Int(configuration.urlExpiry)), configuration.maximumURLExpiry)
        guard lifetime > 0 else { throw UploadError(.invalidArgument, "expiresIn must be positive") }
        let expiresAt = Timestamp.truncated(Date().addingTimeInterval(lifetime))
        let plan = Self.plan(of: session)
        let upload = StorageUpload(session)
        let parts = try request.partNumbers.map { number in
            guard let part = plan.part(number) else {
                throw UploadError(.invalidArgument, "part \(number) is outside 1...\(plan.totalParts)")
            }
            let url = try storage.partURL(upload, part: part, expiresAt: expiresAt)
            return ControllerResponse.SignedPart(
                partNumber: number, url: url.absoluteString, expiresAt: expiresAt, offset: part.offset, size: part.size)
        }
        return ControllerResponse.Signed(parts: parts)
    }

    /// `partUploaded`: confirms a part the storage holds and records its ETag (idempotent).
    ///
    /// A part counts as uploaded only when the storage holds it (DESIGN v1.1): on the disk store the
    /// part receiver recorded it as its bytes landed, and this only confirms that record; on S3 the
    /// storage must list the part (ListParts, or HeadObject for a single PUT) at its planned size
    /// with this entity tag. Otherwise 409 ``UploadError/Code/invalidPart``, and nothing changes.
    /// The tag compares without its quotes (RFC 9110 §8.8.3); a weak or malformed one is 422.
    func partUploaded(_ request: ControllerRequest.PartUploaded, _ principal: Principal) async throws -> ControllerResponse.PartRecorded {
        let session = try await visibleSession(request.sessionId, principal)
        guard let planned = Self.plan(of: session).part(request.partNumber) else {
            throw UploadError(.invalidArgument, "part \(request.partNumber) is outside 1...\(session.totalParts)")
        }
        guard request.size == planned.size else {
            throw UploadError(.invalidArgument, "part \(request.partNumber) is planned as \(planned.size) bytes, not \(request.size)")
        }
        let etag = try EntityTag.parse(try Self.required(request.etag, "etag"))
        let number = request.partNumber
        // The storage webhook or the reconciler may have finished the session first: the same
        // report again is answered with what is recorded.
        if let existing = try await store.reader.parts(sessionId: session.id).first(where: { $0.partNumber == number }),
           let answer = Self.repeatedReport(session, existing, etag) {
            return ControllerResponse.PartRecorded(part: answer)
        }
        try Self.requireOpen(session)
        var stored = etag
        if !storage.recordsPartsOnArrival {
            let held: StoredPart?
            do {
                held = try await storage.storedPart(StorageUpload(session), partNumber: number)
            } catch let error as UploadError where error.code == .uploadGone {
                let expired = try await expire(session, gone: error, principal)
                throw UploadError(.conflict, "session \(session.id) is \(expired.status.rawValue): \(expired.error?.message ?? error.message)")
            }
            guard let held else {
                throw UploadError(.invalidPart, "the storage holds no part \(number) of session \(session.id); PUT its bytes to its signed URL first")
            }
            guard held.size == planned.size else {
                throw UploadError(.invalidPart, "the storage holds part \(number) with \(held.size) bytes, not the \(planned.size) planned; send it again")
            }
            guard let heldTag = EntityTag(held.etag), heldTag == etag else {
                throw UploadError(.invalidPart, "the storage holds part \(number) with ETag \(held.etag), not \(etag.quoted)")
            }
            stored = heldTag
        }
        let fromStorage = !storage.recordsPartsOnArrival
        let tag = stored
        let part = try await store.transaction(actedBy: principal.actor) { tx in
            let current = try tx.sessions.get(session.id)
            let existing = try tx.parts.get(sessionId: session.id, partNumber: number)
            if let answer = Self.repeatedReport(current, existing, etag) { return answer }
            try Self.requireOpen(current)
            guard fromStorage else {
                // The disk store's receiver records every part it received; a report is only a
                // confirmation of that record.
                guard existing.status == .uploaded, let recorded = existing.etag else {
                    throw UploadError(.invalidPart, "part \(number) of session \(session.id) has not arrived in storage (it is \(existing.status.rawValue)); PUT its bytes to its signed URL, which records it")
                }
                guard EntityTag.same(recorded, etag.quoted) else {
                    throw UploadError(.invalidPart, "part \(number) was stored with ETag \(recorded), not \(etag.quoted)")
                }
                return existing
            }
            return try tx.parts.markUploaded(sessionId: session.id, partNumber: number, etag: tag.quoted)
        }
        return ControllerResponse.PartRecorded(part: part)
    }

    /// The recorded part, when `session` no longer takes bytes and the part is recorded UPLOADED
    /// with `etag`: a late repeat of a report that was already applied.
    static func repeatedReport(_ session: UploadSession, _ part: FilePart, _ etag: EntityTag) -> FilePart? {
        guard session.status != .pending, session.status != .uploading, part.status == .uploaded,
              EntityTag.same(part.etag, etag.quoted)
        else { return nil }
        return part
    }

    /// `complete`: checks every part is in storage, finishes the object, and starts processing.
    /// Completing a session that already moved on returns it as it is.
    ///
    /// On the disk store every part must be UPLOADED (recorded by the receiver as its bytes landed)
    /// and none may still be arriving (409 `conflict`); no new part PUT starts while it completes.
    /// On S3 the records are first brought in line with ListParts (or HeadObject) by
    /// ``PartVerifier``: parts S3 does not hold as recorded are reopened and the answer is 409
    /// `invalidPart`. S3's own refusals (InvalidPart, InvalidPartOrder, EntityTooSmall) are 409s of
    /// those names after the same audit. In every case the session stays open, never half-finished.
    func complete(_ request: ControllerRequest.SessionRef, _ principal: Principal) async throws -> ControllerResponse.SessionResult {
        let session = try await visibleSession(request.sessionId, principal)
        if let settled = try Self.settled(session) { return ControllerResponse.SessionResult(session: settled) }
        // While it completes, the sweeper leaves the session alone and no part PUT starts.
        try transfers.beginCompleting(session.id)
        defer { transfers.endCompleting(session.id) }
        // Read again after the mark: a sweep that expired the session before it has committed.
        let current = try await visibleSession(session.id, principal)
        if let settled = try Self.settled(current) { return ControllerResponse.SessionResult(session: settled) }
        let verifier = PartVerifier(store: store, storage: storage)
        if !storage.recordsPartsOnArrival {
            do {
                if let audit = try await verifier.audit(current, actedBy: principal.actor), !audit.isComplete {
                    throw UploadError(.invalidPart, "the storage does not hold part(s) \(PartAudit.list(audit.missing)) of session \(session.id) at their planned size; send them again (\(audit.reopen.count) recorded part(s) were reopened)")
                }
            } catch let error as UploadError where error.code == .uploadGone {
                // No ListParts: the storage's complete below tells a finished upload from a lost one.
            }
        }
        let parts = try await store.reader.parts(sessionId: session.id)
        let missing = parts.filter { $0.status != .uploaded }.map(\.partNumber)
        guard missing.isEmpty, parts.count == session.totalParts else {
            throw UploadError(.conflict, "\(missing.count) of \(session.totalParts) parts are not uploaded yet: \(PartAudit.list(missing))")
        }
        guard parts.map(\.size).reduce(0, +) == session.size else {
            throw UploadError(.conflict, "parts add up to \(parts.map(\.size).reduce(0, +)) bytes, not \(session.size)")
        }
        // Checked before the storage joins the parts (and again as the session finishes): a refused
        // object is never left half-finished.
        _ = try SessionFinisher.checkedChecksum(parts, expected: request.checksum ?? session.checksum, sessionId: session.id)
        do {
            _ = try await storage.complete(
                StorageUpload(session), parts: parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })
        } catch let error as UploadError where error.code == .uploadGone {
            let expired = try await expire(session, gone: error, principal)
            if expired.status == .expired {
                throw UploadError(.conflict, "session \(session.id) expired: \(expired.error?.message ?? error.message)")
            }
            return ControllerResponse.SessionResult(session: expired)
        } catch let error as UploadError where Self.partRefusals.contains(error.code) {
            // Reopen what S3 does not hold as recorded, so the uploader can send it again.
            _ = try? await verifier.audit(session, actedBy: principal.actor)
            throw error
        }
        let finisher = self.finisher
        let expected = request.checksum
        let finished = try await store.transaction(actedBy: principal.actor) { tx in
            try finisher.finish(session.id, expected: expected, in: tx)
        }
        finisher.announce(finished)
        return ControllerResponse.SessionResult(session: finished)
    }

    /// S3's refusals of a completion that sending parts again can cure.
    static let partRefusals: Set<UploadError.Code> = [.invalidPart, .invalidPartOrder, .entityTooSmall]

    /// A session `complete` has nothing to do for: itself when it already moved on (UPLOADED,
    /// PROCESSING, COMPLETED, or FAILED after its bytes were all in: a job failed, perhaps right
    /// after a single PUT completed it), nil while it takes bytes; 409 when it ended otherwise.
    private static func settled(_ session: UploadSession) throws -> UploadSession? {
        switch session.status {
        case .uploaded, .processing, .completed:
            return session
        case .failed where session.uploadedAt != nil:
            return session
        case .cancelled, .expired, .failed:
            throw UploadError(.invalidTransition, "session \(session.id) is \(session.status.rawValue); it cannot complete")
        case .pending, .uploading:
            return nil
        }
    }

    /// Expires a session whose storage upload is gone (see ``SessionFinisher/expireGone(_:reason:in:)``);
    /// returns the session as it is then (one that already moved on is left as it was).
    private func expire(_ session: UploadSession, gone error: UploadError, _ principal: Principal) async throws -> UploadSession {
        try await store.transaction(actedBy: principal.actor) { tx in
            try SessionFinisher.expireGone(session.id, reason: error, in: tx)
        }
    }

    /// `abort`: the uploader gives up; the bytes are dropped and the session is CANCELLED.
    func abort(_ request: ControllerRequest.SessionRef, _ principal: Principal) async throws -> ControllerResponse.SessionResult {
        let session = try await visibleSession(request.sessionId, principal)
        let reason = ErrorDetail(code: "aborted", message: "aborted by the uploader")
        return ControllerResponse.SessionResult(session: try await cancelSession(session, reason: reason, principal))
    }

    /// Throws 409 unless the session still takes bytes.
    static func requireOpen(_ session: UploadSession) throws {
        guard session.status == .pending || session.status == .uploading else {
            throw UploadError(.conflict, "session \(session.id) is \(session.status.rawValue); it takes no more bytes")
        }
    }
}
