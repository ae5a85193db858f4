import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ObjectStorage
import UploadModel
import UploadStore

/// tus 1.0.0 over upman's sessions: creation (with upload, with a deferred length, partial and
/// final uploads of a concatenation), HEAD, PATCH and termination, each checked, scoped and
/// recorded as the controller does.
///
/// A tus upload is a session of the caller's, in the group its `Upload-Metadata` `group` names
/// (the caller's latest group of that name, made if there is none), planned into parts as any
/// other. A PATCH's bytes fill those parts in order (``TusAppender``); a part is recorded UPLOADED
/// once it is kept (synced to disk, or uploaded to S3), and the bytes of the unfinished part once
/// the PATCH ends, even when its connection broke: the offset a HEAD answers is exactly what is
/// durable. With `Upload-Checksum`, nothing of the PATCH is recorded until its checksum held.
/// When the offset reaches the length, the session completes as `complete` would.
struct TusService: Sendable {
    /// The controller whose store, storage, settings and sessions the endpoint shares.
    let controller: SessionController
    /// Uploads a PATCH is writing, and group names being found or made.
    let locks = TusLocks()

    var store: UploadStore { controller.store }
    var storage: any ObjectStorage { controller.storage }
    var configuration: ServerConfiguration { controller.configuration }
    var transfers: TransferTracker { controller.transfers }
    var metrics: ServerMetrics { controller.metrics }
    var logger: Logger { controller.logger }

    /// The path uploads are created at, with its trailing slash (`/files/`).
    var basePath: String { configuration.tusPath }

    /// The part size of an upload whose length is deferred: parts are cut before the length is known.
    var deferredPartSize: Int64 { configuration.planner.automaticPartSizeLimit }

    /// The largest upload.
    var maximumSize: Int64 { configuration.planner.maximumFileSize }

    // MARK: OPTIONS

    /// `OPTIONS`: the version, extensions, largest upload and checksum algorithms (no token needed).
    func options() -> Response {
        var headers = HTTPFields()
        headers[TusProtocol.versionField] = TusProtocol.version
        headers[TusProtocol.extensionField] = TusProtocol.extensions.joined(separator: ",")
        headers[TusProtocol.maxSize] = String(maximumSize)
        headers[TusProtocol.checksumAlgorithm] = TusChecksum.algorithms.joined(separator: ",")
        return Response(status: .noContent, headers: headers)
    }

    // MARK: POST (creation)

    /// `POST`: creates an upload (201 with `Location`); with a body of
    /// `application/offset+octet-stream`, also takes its bytes (creation-with-upload).
    func create(_ request: Request, principal: Principal) async throws -> Response {
        try Self.requireUploader(principal)
        let headers = request.headers
        let metadataHeader = headers[TusProtocol.uploadMetadata]
        guard (metadataHeader?.utf8.count ?? 0) <= 8192 else {
            throw UploadError(.badRequest, "Upload-Metadata is at most 8 KiB")
        }
        let metadata = try TusMetadata(header: metadataHeader)
        let concat = headers[TusProtocol.uploadConcat]
        if let concat, concat.hasPrefix("final;") {
            return try await createFinal(concat, request: request, metadata: metadata, metadataHeader: metadataHeader, principal: principal)
        }
        guard concat == nil || concat == "partial" else {
            throw UploadError(.badRequest, "Upload-Concat is `partial` or `final;URL URL…`")
        }
        let length = try Self.length(headers)
        if let length, headers[.contentType] == TusProtocol.offsetOctetStream,
           let contentLength = headers[.contentLength].flatMap({ Int64($0) }), contentLength > length {
            throw UploadError(.payloadTooLarge, "the body is \(contentLength) bytes; Upload-Length is \(length)")
        }
        if length == nil, principal.chargedToken != nil {
            throw UploadError(.quotaExceeded, "this upload link has a byte allowance: an upload through it states its Upload-Length")
        }
        let session = try await createSession(
            length: length, metadata: metadata, metadataHeader: metadataHeader, concat: concat, principal: principal)
        var answer = HTTPFields()
        answer[.location] = location(session.id, request: request)
        if headers[.contentType] == TusProtocol.offsetOctetStream {
            // The upload exists whatever becomes of its first bytes: the answer is its Location and
            // the offset that is durable, from which the client continues.
            let offset: Int64
            do {
                offset = try await write(request.body, to: session.id, from: 0, declaredLength: nil, request: request, principal: principal)
            } catch {
                logger.info("the body of a creation-with-upload was not kept whole", metadata: ["session": "\(session.id)", "error": "\(error)"])
                offset = try await currentOffset(session.id)
            }
            answer[TusProtocol.uploadOffset] = String(offset)
        } else if length == 0 {
            // Nothing to send: clients finish an empty file with its creation (tus-js-client sends no PATCH).
            _ = try await write(AsyncStream<ByteBuffer> { $0.finish() }, to: session.id, from: 0, declaredLength: nil, request: nil, principal: principal)
        }
        if let current = try await store.reader.session(session.id), !Self.isFinished(current) {
            answer[TusProtocol.uploadExpires] = expires(current)
        }
        return Response(status: .created, headers: answer)
    }

    /// A header's non-negative integer, written as tus writes it: decimal digits only (no sign, no
    /// spaces), at most 18 of them.
    static func count(_ text: String) -> Int64? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }

    /// The length `Upload-Length` states, or nil for `Upload-Defer-Length: 1`: exactly one of the
    /// two, as tus's creation and creation-defer-length extensions say.
    private static func length(_ headers: HTTPFields) throws -> Int64? {
        let length = headers[TusProtocol.uploadLength]
        let deferred = headers[TusProtocol.uploadDeferLength]
        switch (length, deferred) {
        case (let length?, nil):
            guard let value = count(length) else {
                throw UploadError(.badRequest, "Upload-Length must be a non-negative integer, not \(length.debugDescription)")
            }
            return value
        case (nil, "1"?):
            return nil
        case (nil, let other?):
            throw UploadError(.badRequest, "Upload-Defer-Length must be 1, not \(other.debugDescription)")
        case (_?, _?):
            throw UploadError(.badRequest, "give Upload-Length or Upload-Defer-Length, not both")
        case (nil, nil):
            throw UploadError(.badRequest, "Upload-Length (or Upload-Defer-Length: 1) is required")
        }
    }

    /// Plans and records a new session with its tus upload, in one transaction (and its group, when
    /// it is new); storage is prepared first and undone if the transaction fails.
    private func createSession(
        length: Int64?, metadata: TusMetadata, metadataHeader: String?, concat: String?, principal: Principal
    ) async throws -> UploadSession {
        let fileName = metadata.value("filename", "name") ?? "upload"
        var plan = try controller.plan(fileName: fileName, size: length ?? 0, fingerprint: nil, sha256: nil, partSize: nil)
        if length == nil {
            // Cut into parts before the length is known: multipart, so S3 has an upload to put them in.
            plan = PartPlan(fileSize: 0, method: .multipart, partSize: deferredPartSize, totalParts: 1)
        }
        let groupName = try metadata.value("group").map { try SessionController.checkedGroupName($0, "Upload-Metadata group") }
            ?? principal.groupName
        try controller.checkLinkGroup(named: groupName, principal)
        let lockKey = groupName.map { "group:\(principal.userId)\u{0}\($0)" }
        if let lockKey { try await locks.lock(lockKey) }
        defer { if let lockKey { locks.unlock(lockKey) } }
        var groupId: String?
        if let groupName { groupId = try await store.reader.latestGroup(userId: principal.userId, name: groupName)?.id }
        let contentType = metadata.value("filetype", "type", "contentType")
        let deferred = length == nil
        // The lock above is this process's; another instance may make the group between the lookup
        // and the write, which the write then finds (instances take turns at writing): join it.
        for _ in 1...3 {
            do {
                return try await controller.createSession(
                    fileName: fileName, plan: plan, groupId: groupId, newGroupName: groupName, uniqueName: true,
                    // A final upload's bytes are its partial uploads', charged when those were made.
                    chargesLink: !(concat?.hasPrefix("final;") ?? false), principal: principal,
                    details: { $0.contentType = contentType },
                    also: { session, tx in
                        try tx.tus.insert(TusUpload(sessionId: session.id, metadata: metadataHeader, lengthDeferred: deferred, concat: concat))
                    }
                ).0
            } catch let taken as GroupNameTaken {
                groupId = taken.groupId
            }
        }
        throw UploadError(.conflict, "the group \(groupName.map(\.debugDescription) ?? "") kept changing; try again")
    }

    /// `POST` with `Upload-Concat: final;URL URL…`: a new upload whose bytes are the partial
    /// uploads' in the order given, copied from storage; it is complete when this answers.
    private func createFinal(
        _ concat: String, request: Request, metadata: TusMetadata, metadataHeader: String?, principal: Principal
    ) async throws -> Response {
        guard request.headers[TusProtocol.uploadLength] == nil, request.headers[TusProtocol.uploadDeferLength] == nil else {
            throw UploadError(.badRequest, "a final upload takes no Upload-Length: its length is the sum of its partial uploads")
        }
        let references = concat.dropFirst("final;".count).split(separator: " ", omittingEmptySubsequences: true)
        guard !references.isEmpty, references.count <= 10_000 else {
            throw UploadError(.badRequest, "Upload-Concat: final; lists 1 to 10,000 partial uploads")
        }
        var partials: [UploadSession] = []
        for reference in references {
            guard let id = uploadId(in: String(reference)) else {
                throw UploadError(.badRequest, "Upload-Concat: \(String(reference).debugDescription) is not an upload of \(basePath)")
            }
            let (session, tus, _) = try await visible(id, principal)
            guard tus.isPartial else { throw UploadError(.badRequest, "upload \(id) is not a partial upload (Upload-Concat: partial)") }
            guard Self.isFinished(session) else {
                throw UploadError(.badRequest, "partial upload \(id) is \(session.status.rawValue); a final upload joins finished partial uploads only")
            }
            partials.append(session)
        }
        let length = partials.map(\.size).reduce(0, +)
        guard length <= maximumSize else {
            throw UploadError(.fileTooLarge, "the partial uploads add up to \(length) bytes; the largest upload is \(maximumSize)")
        }
        let session = try await createSession(
            length: length, metadata: metadata, metadataHeader: metadataHeader, concat: concat, principal: principal)
        let storage = self.storage
        let keys = partials.map(\.objectKey)
        let bytes = AsyncThrowingStream<ByteBuffer, Error> { continuation in
            let task = Task {
                do {
                    for key in keys {
                        try await storage.read(key: key) { data in
                            continuation.yield(ByteBuffer(bytes: data))
                            return true
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        _ = try await write(bytes, to: session.id, from: 0, declaredLength: nil, request: nil, principal: principal)
        var answer = HTTPFields()
        answer[.location] = location(session.id, request: request)
        return Response(status: .created, headers: answer)
    }

    // MARK: HEAD

    /// `HEAD`: the offset (what is durable), the length or that it is deferred, the metadata, the
    /// concatenation and, while unfinished, when it expires; never cached. An upload whose every byte
    /// is in but whose completion did not go through (the server stopped in between) completes now.
    func head(_ id: String, principal: Principal) async throws -> Response {
        try Self.requireUploader(principal)
        var (session, tus, parts) = try await visible(id, principal)
        guard !Self.isGone(session) else { throw TusError.gone(session) }
        var offset = Self.isFinished(session) ? session.size : tus.offset(parts: parts)
        if !Self.isFinished(session), !tus.lengthDeferred, offset == session.size, locks.tryLock(id) {
            defer { locks.unlock(id) }
            do {
                session = try await complete(session, principal: principal)
                offset = session.size
            } catch {
                logger.warning("completing a tus upload whose bytes are all in failed", metadata: ["session": "\(id)", "error": "\(error)"])
            }
        }
        var headers = HTTPFields()
        headers[TusProtocol.uploadOffset] = String(offset)
        if tus.lengthDeferred {
            headers[TusProtocol.uploadDeferLength] = "1"
        } else {
            headers[TusProtocol.uploadLength] = String(session.size)
        }
        headers[.cacheControl] = "no-store"
        if let metadata = tus.metadata { headers[TusProtocol.uploadMetadata] = metadata }
        if let concat = tus.concat { headers[TusProtocol.uploadConcat] = concat }
        if !Self.isFinished(session) { headers[TusProtocol.uploadExpires] = expires(session) }
        return Response(status: .ok, headers: headers)
    }

    // MARK: PATCH

    /// `PATCH`: bytes at `Upload-Offset` (409 unless it is the current offset), 204 with the new
    /// offset. See the type's summary for what is recorded when. The work runs in a task of its own,
    /// so that a later PATCH of the same upload can stop it (see ``TusLocks``).
    func patch(_ request: Request, id: String, principal: Principal) async throws -> Response {
        let stopper = TusLocks.Stopper()
        let work = Task { try await patchNow(request, id: id, principal: principal, stopper: stopper) }
        stopper.set { work.cancel() }
        return try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
    }

    private func patchNow(_ request: Request, id: String, principal: Principal, stopper: TusLocks.Stopper) async throws -> Response {
        try Self.requireUploader(principal)
        let contentType = request.headers[.contentType]
        guard contentType == TusProtocol.offsetOctetStream else { throw TusError.mediaType(contentType) }
        guard let text = request.headers[TusProtocol.uploadOffset] else {
            throw UploadError(.badRequest, "Upload-Offset is required")
        }
        guard let given = Self.count(text) else {
            throw UploadError(.badRequest, "Upload-Offset must be a non-negative integer, not \(text.debugDescription)")
        }
        var declared: Int64?
        if let length = request.headers[TusProtocol.uploadLength] {
            guard let value = Self.count(length) else {
                throw UploadError(.badRequest, "Upload-Length must be a non-negative integer, not \(length.debugDescription)")
            }
            declared = value
        }
        let offset = try await write(
            request.body, to: id, from: given, declaredLength: declared, request: request, principal: principal, stopper: stopper)
        var headers = HTTPFields()
        headers[TusProtocol.uploadOffset] = String(offset)
        if let session = try await store.reader.session(id), !Self.isFinished(session) {
            headers[TusProtocol.uploadExpires] = expires(session)
        }
        return Response(status: .noContent, headers: headers)
    }

    /// Writes `body` into upload `id` from offset `given`; answers the offset after it. Holds the
    /// upload (a PATCH stops the request writing it first; 423 when that one does not let go) and
    /// marks it busy for the sweeper while bytes flow.
    private func write<Body: AsyncSequence>(
        _ body: Body, to id: String, from given: Int64, declaredLength: Int64?, request: Request?, principal: Principal,
        stopper: TusLocks.Stopper = TusLocks.Stopper()
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        // Only a PATCH takes the upload from a writer; the writer that owns it is asked to stop first.
        guard request?.method == .patch || request?.method == .post && request?.headers[TusProtocol.methodOverride] != nil
            ? await locks.takeOver(id, stopper: stopper) : locks.tryLock(id, stopper: stopper)
        else {
            _ = try await visible(id, principal)
            throw TusError.locked(id)
        }
        defer { locks.unlock(id) }
        var (session, tus, parts) = try await visible(id, principal)
        // Instances sharing a database: the upload is held across them, too.
        let isPatch = request?.method == .patch || request?.method == .post && request?.headers[TusProtocol.methodOverride] != nil
        let hold = TusHold(store: store)
        let holder = try await hold.take(id, actor: principal.actor, takeOver: isPatch)
        let keeper = holder.map { hold.keep(id, holder: $0, actor: principal.actor, stop: { stopper.stop() }) }
        defer {
            keeper?.cancel()
            if let holder { Task { await hold.release(id, holder: holder, actor: principal.actor) } }
        }
        if holder != nil { (session, tus, parts) = try await visible(id, principal) }
        if tus.isFinal, request != nil { throw UploadError(.forbidden, "upload \(id) is a final upload of a concatenation; it takes no PATCH") }
        guard !Self.isGone(session) else { throw TusError.gone(session) }
        if Self.isFinished(session) {
            guard given == session.size else {
                throw UploadError(.conflict, "Upload-Offset is \(given); upload \(id) is complete at \(session.size)")
            }
            let contentLength = request?.headers[.contentLength].flatMap { Int64($0) }
            guard contentLength == 0 || contentLength == nil else {
                throw UploadError(.payloadTooLarge, "upload \(id) is complete; it takes no more bytes")
            }
            return session.size
        }
        // A length declared now is recorded only once this write's bytes are kept (a refused write
        // leaves it deferred); until then the bytes are cut by it.
        var declared: PartPlan?
        var shaped = (session: session, tus: tus)
        if let declaredLength {
            if tus.lengthDeferred {
                let plan = try declaredPlan(declaredLength, of: session, tus: tus)
                declared = plan
                shaped.session.size = plan.fileSize
                shaped.session.totalParts = plan.totalParts
                shaped.tus.lengthDeferred = false
            } else if declaredLength != session.size {
                throw UploadError(.badRequest, "upload \(id) is \(session.size) bytes; Upload-Length cannot change it")
            }
        }
        var offset = tus.offset(parts: parts)
        guard given == offset else {
            throw UploadError(.conflict, "Upload-Offset is \(given); upload \(id) is at \(offset): ask HEAD and send from there")
        }
        if !shaped.tus.lengthDeferred, let contentLength = request?.headers[.contentLength].flatMap({ Int64($0) }),
           offset + contentLength > shaped.session.size {
            throw UploadError(.payloadTooLarge, "upload \(id) is \(shaped.session.size) bytes; \(contentLength) more from \(offset) would pass its end")
        }
        let checksum = try TusChecksum(header: request?.headers[TusProtocol.uploadChecksum])
        try transfers.beginTransfer(id)
        var transferring = true
        defer { if transferring { transfers.endTransfer(id) } }
        let sink: TusPartSink
        do {
            sink = try await makeSink(session, tus: tus, offset: offset)
        } catch is TusS3Sink.PartialLost {
            // The bytes of the unfinished part are gone from the bucket: the upload resumes from the
            // part's start, which the client learns from HEAD.
            try await store.transaction(actedBy: principal.actor) { tx in
                var current = try tx.tus.get(id)
                current.partialPart = 0
                current.partialBytes = 0
                current.partialCRC32C = 0
                try tx.tus.save(current)
            }
            throw UploadError(.conflict, "the bytes of upload \(id) after \(offset - tus.partialBytes) are lost; ask HEAD and send from there")
        }
        defer { sink.close() }
        let appender = TusAppender(sink: sink, session: shaped.session, tus: shaped.tus, offset: offset, maximum: maximumSize)
        appender.checksum = checksum
        let recorder = TusRecorder(store: store, sessionId: id, deferred: tus.lengthDeferred, actor: principal.actor, totalParts: session.totalParts,
                                   interval: ActivityRefresh(sessionTTL: configuration.sessionTTL).interval)
        let immediate = checksum == nil
        var held: [TusAppender.FinishedPart] = []
        do {
            // A short write into the part being filled is recorded once, at its end; a longer one
            // shows its part UPLOADING while bytes flow.
            let contentLength = request?.headers[.contentLength].flatMap { Int64($0) }
            if tus.lengthDeferred || contentLength.map({ $0 > Self.shortWrite || appender.inPart + $0 > appender.size(of: appender.part) }) ?? true {
                try await recorder.begin(part: appender.part)
            }
            for try await buffer in body {
                try await appender.accept(buffer) { part in
                    // Part k is handed over once kept, as part k + 1 became whole: k + 2 is filling.
                    if immediate { try await recorder.record([part], next: part.partNumber + 2, partial: nil) }
                }
                try await recorder.touchIfDue()
            }
            // Stopped by a later PATCH, the body may simply end: that is a break, not the body's end.
            try Task.checkCancellation()
            // The last part of an upload on the disk store is recorded as the upload finishes.
            let finishing = !tus.lengthDeferred && appender.offset == session.size && storage is DiskStorage
            let last: (TusAppender.FinishedPart) async throws -> Void = { part in
                if finishing { held.append(part) } else if immediate { try await recorder.record([part], next: nil, partial: nil) }
            }
            try await appender.finishIfWhole(whole: last)
            try await appender.drain(whole: last)
            try await appender.finishEmptyUpload(whole: last)
        } catch {
            // What arrived before the break stays, when no checksum has to vouch for it first, and
            // while the upload still takes bytes (a cancel or delete meanwhile dropped its storage).
            // In a task of its own: a write stopped by a later PATCH (its task cancelled) still
            // keeps and records what arrived before it lets go of the upload.
            let store = self.store, logger = self.logger
            let ended = await Task { try? await store.reader.session(id) }.value
            if immediate, let ended, !Self.isGone(ended) {
                await Task {
                    do {
                        try await appender.drain { part in try await recorder.record([part], next: nil, partial: nil) }
                        try await appender.keepPartial()
                        try await recorder.record([], next: nil, partial: (appender.part, appender.inPart, appender.partialCRC32C))
                    } catch {
                        logger.warning("keeping the bytes of a broken PATCH failed", metadata: ["session": "\(id)", "error": "\(error)"])
                    }
                }.value
            }
            if let s3 = storage as? S3Storage, ended.map(Self.isGone) ?? true {
                try? await s3.delete(key: S3Storage.tusPartialKey(session.objectKey))
            }
            let explainedError = try await explained(error, id)
            guard explainedError is UploadError else {
                // The connection broke off (or the client stopped sending): a client's doing, not the server's.
                throw UploadError(.badRequest, "the body broke off after \(appender.offset - given) bytes; upload \(id) keeps what arrived (ask HEAD)")
            }
            throw explainedError
        }
        if let checksum = appender.checksum, !checksum.matches() { throw TusError.checksumMismatch(checksum.algorithm) }
        if !tus.lengthDeferred, appender.offset == session.size, let disk = storage as? DiskStorage,
           transfers.handOverToCompletion(id) {
            // The last bytes of an upload on the disk store: recorded and finished in one transaction.
            transferring = false
            defer { transfers.endCompleting(id) }
            try await finishOnDisk(disk, session, parts: immediate ? held : appender.finished, principal: principal)
            metrics.partReceived(bytes: appender.offset - given)
            return appender.offset
        }
        do {
            try await appender.keepPartial()
            try await recorder.record(immediate ? held : appender.finished, next: nil, partial: (appender.part, appender.inPart, appender.partialCRC32C))
            if let declared { (session, tus) = try await declare(declared, of: session, principal: principal) }
        } catch {
            throw try await explained(error, id)
        }
        offset = appender.offset
        metrics.partReceived(bytes: offset - given)
        if !tus.lengthDeferred, offset == session.size {
            transfers.endTransfer(id)
            transferring = false
            _ = try await complete(session, principal: principal)
        }
        return offset
    }

    /// The most bytes a write may carry and still be recorded only once it ended (see ``write(_:to:from:declaredLength:request:principal:)``).
    static let shortWrite: Int64 = 1 << 20

    /// Finishes an upload on the disk store whose last bytes a write just kept, as a self-completing
    /// PUT does: the upload file moves into place, then ONE transaction records `parts` (those not
    /// yet recorded) and finishes the session (UPLOADED, then PROCESSING with its jobs, or COMPLETED).
    /// When that transaction fails the file moves back and the upload stays open.
    private func finishOnDisk(_ disk: DiskStorage, _ session: UploadSession, parts: [TusAppender.FinishedPart], principal: Principal) async throws {
        let upload = StorageUpload(session)
        _ = try await disk.complete(upload, parts: [])
        let finisher = controller.finisher
        let id = session.id
        let finished: UploadSession
        do {
            finished = try await store.transaction(actedBy: principal.actor) { tx in
                try SessionController.requireOpen(try tx.sessions.get(id))
                for part in parts {
                    try tx.parts.markUploaded(sessionId: id, partNumber: part.partNumber, etag: part.etag, checksum: part.checksum)
                }
                var tus = try tx.tus.get(id)
                tus.partialPart = 0
                tus.partialBytes = 0
                tus.partialCRC32C = 0
                try tx.tus.save(tus)
                return try finisher.finish(id, in: tx)
            }
        } catch {
            try? await disk.reopen(upload)
            throw try await explained(error, id)
        }
        finisher.announce(finished)
    }

    /// The offset HEAD would answer for upload `id`.
    private func currentOffset(_ id: String) async throws -> Int64 {
        guard let session = try await store.reader.session(id), let (tus, parts) = try await store.reader.tusState(id) else { return 0 }
        return Self.isFinished(session) ? session.size : tus.offset(parts: parts)
    }

    /// The error to answer for a write that failed: 410 when an operator or the sweeper ended the
    /// upload meanwhile, else the error itself.
    private func explained(_ error: Error, _ id: String) async throws -> Error {
        if let session = try? await store.reader.session(id), Self.isGone(session) { return TusError.gone(session) }
        return error
    }

    /// The plan of an upload whose deferred length is declared as `length`: parts of the session's
    /// part size (``deferredPartSize``), the last one shorter.
    ///
    /// - Throws: `fileTooLarge` past the largest upload or S3's 10,000 parts; `badRequest` when the
    ///   upload already holds more bytes.
    private func declaredPlan(_ length: Int64, of session: UploadSession, tus: TusUpload) throws -> PartPlan {
        guard length <= maximumSize else {
            throw UploadError(.fileTooLarge, "an upload is at most \(maximumSize) bytes; Upload-Length is \(length)")
        }
        let received = tus.offset(parts: [])
        guard length >= received else {
            throw UploadError(.badRequest, "upload \(session.id) already holds \(received) bytes; Upload-Length \(length) is less")
        }
        let partSize = session.partSize
        let totalParts = max(1, Int((length + partSize - 1) / partSize))
        guard totalParts <= configuration.planner.maximumParts else {
            throw UploadError(.fileTooLarge, "an upload of deferred length is at most \(Int64(configuration.planner.maximumParts) * partSize) bytes")
        }
        return PartPlan(fileSize: length, method: .multipart, partSize: partSize, totalParts: totalParts)
    }

    /// Declares the length of an upload whose length was deferred, once: the session takes `plan`
    /// and the parts filled so far are recorded UPLOADED, in one transaction; an upload link's
    /// allowance is charged then.
    private func declare(_ plan: PartPlan, of session: UploadSession, principal: Principal) async throws -> (UploadSession, TusUpload) {
        let controller = self.controller
        return try await store.transaction(actedBy: principal.actor) { tx in
            try controller.chargeLink(plan.fileSize, principal, in: tx)
            var current = try tx.tus.get(session.id)
            guard current.lengthDeferred else { throw UploadError(.conflict, "the length of upload \(session.id) is already declared") }
            try tx.sessions.replan(session.id, to: plan)
            for part in current.filledParts where part.partNumber <= plan.totalParts {
                try tx.parts.markUploaded(sessionId: session.id, partNumber: part.partNumber, etag: part.etag, checksum: part.checksum)
            }
            current.filledParts = []
            current.lengthDeferred = false
            try tx.tus.save(current)
            return (try tx.sessions.get(session.id), current)
        }
    }

    /// Finishes an upload whose every byte is kept, as `complete` does (the storage joins the parts,
    /// the session moves to PROCESSING or COMPLETED), and drops a leftover partial part object.
    private func complete(_ session: UploadSession, principal: Principal) async throws -> UploadSession {
        let finished = try await controller.complete(ControllerRequest.SessionRef(sessionId: session.id), principal).session
        if let s3 = storage as? S3Storage { try? await s3.delete(key: S3Storage.tusPartialKey(session.objectKey)) }
        return finished
    }

    private func makeSink(_ session: UploadSession, tus: TusUpload, offset: Int64) async throws -> TusPartSink {
        if let disk = storage as? DiskStorage { return try await TusDiskSink(storage: disk, sessionId: session.id, offset: offset) }
        if let s3 = storage as? S3Storage {
            let partSize = max(session.partSize, 1)
            let inPart = session.partSize > 0 ? offset % partSize : 0
            let partial = tus.partialPart == Int(offset / partSize) + 1 ? min(inPart, tus.partialBytes) : 0
            return try await TusS3Sink(storage: s3, upload: StorageUpload(session), partialBytes: partial, partSize: partSize)
        }
        throw UploadError(.storageError, "this storage cannot take tus uploads")
    }

    // MARK: DELETE (termination)

    /// `DELETE`: with an API token the upload is deleted (rows and bytes; HEAD then answers 404);
    /// an upload link, which may not delete, cancels it instead (its bytes are dropped; HEAD then
    /// answers 410).
    func terminate(_ id: String, principal: Principal) async throws -> Response {
        try Self.requireUploader(principal)
        let (session, _, _) = try await visible(id, principal)
        if principal.scope == .uploadLink {
            if !session.status.isFinal {
                _ = try await controller.cancelSession(
                    session, reason: ErrorDetail(code: "terminated", message: "terminated by the uploader (tus DELETE)"), principal)
            }
        } else {
            _ = try await controller.delete(ControllerRequest.Target(sessionId: id), principal)
        }
        return Response(status: .noContent)
    }

    // MARK: Shared

    /// The session, its tus upload and its parts, when the caller may see it and it was created
    /// through tus; otherwise 404 (existence is not revealed).
    private func visible(_ id: String, _ principal: Principal) async throws -> (UploadSession, TusUpload, [FilePart]) {
        guard id.hasPrefix("ses_"), let session = try await store.reader.session(id),
              try await SessionController.canAccess(session, principal, store.reader),
              let (tus, parts) = try await store.reader.tusState(id)
        else {
            throw UploadError(.notFound, "no upload \(id)")
        }
        return (session, tus, parts)
    }

    /// 403 for a token that may only read events.
    private static func requireUploader(_ principal: Principal) throws {
        guard principal.scope != .events else { throw UploadError(.forbidden, "an events token may only read events") }
    }

    /// Whether every byte of the session is in (it may be processing, or a job may have failed).
    static func isFinished(_ session: UploadSession) -> Bool {
        switch session.status {
        case .uploaded, .processing, .completed: true
        case .failed: session.uploadedAt != nil
        default: false
        }
    }

    /// Whether the session ended before its bytes were all in: cancelled, expired, or failed.
    static func isGone(_ session: UploadSession) -> Bool {
        switch session.status {
        case .cancelled, .expired: true
        case .failed: session.uploadedAt == nil
        default: false
        }
    }

    /// The upload id an upload's URL or path names (`http://host/files/ses_x` or `/files/ses_x` →
    /// `ses_x`); nil when it is not an upload of this endpoint (the host is not compared: a proxy
    /// may show the server under another name; the id's owner is checked by the caller).
    func uploadId(in reference: String) -> String? {
        guard let path = URLComponents(string: reference)?.path, path.hasPrefix(basePath) else { return nil }
        let id = path.dropFirst(basePath.count)
        guard id.hasPrefix("ses_"), !id.contains("/") else { return nil }
        return String(id)
    }

    /// `Upload-Expires`: the session's last activity plus the session TTL (the sweeper expires it then).
    private func expires(_ session: UploadSession) -> String {
        TusProtocol.httpDate(session.lastActivityAt.addingTimeInterval(configuration.sessionTTL))
    }

    /// The upload's URL: under the public URL when one is configured, else under the address the
    /// request was sent to (its `Host`).
    private func location(_ id: String, request: Request) -> String {
        let base: String
        if let url = configuration.publicURL {
            base = url.absoluteString.hasSuffix("/") ? String(url.absoluteString.dropLast()) : url.absoluteString
        } else {
            base = "http://" + (request.head.authority ?? "\(configuration.host):\(configuration.port)")
        }
        return base + basePath + id
    }
}
