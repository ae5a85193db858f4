import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ObjectStorage
import UploadModel
import UploadStore

/// `PUT /storage/<sessionId>/<partNumber>?expires=…&signature=…`: the embedded store's data plane.
///
/// The signature is checked before a byte is read; the body streams straight to its offset in the
/// upload file, never held whole; size and checksums are checked as it arrives. The part is
/// UPLOADING while bytes flow, then UPLOADED with its ETag, or FAILED with the reason.
///
/// While bytes flow the session is marked busy in `transfers` (the sweeper leaves it alone and
/// `complete` waits for the part) and its activity is recorded at least every
/// ``ActivityRefresh/interval``, so a slow but steady upload is never taken for an idle one.
///
/// A single-method PUT (the whole file in one part) that receives every byte with its checksums
/// holding completes its session itself, in the transaction that records the part, and answers the
/// session beside the part; `complete` after it is a no-op. It does so only while it is the session's
/// one transfer: with another PUT of the same session under way it records the part alone.
struct PartReceiver: Sendable {
    let store: UploadStore
    let storage: DiskStorage
    let metrics: ServerMetrics
    let faults: PartFaults?
    let transfers: TransferTracker
    let refresh: ActivityRefresh
    /// Whether a single PUT's bytes are also hashed with SHA-256 as they arrive (the `sha256` job
    /// is configured), so that job needs no second read of the file.
    let hashSinglePUTs: Bool
    /// Finishes a single-PUT session once its bytes are in, as `complete` does.
    let finisher: SessionFinisher

    func receive(_ request: Request, sessionId: String, partNumber: String) async throws -> Response {
        let path = DiskStorage.partPath(sessionId: sessionId, partNumber: Int(partNumber) ?? 0)
        guard let number = Int(partNumber), request.uri.path == path,
              let expiresText = request.uri.queryParameters["expires"], let expires = Int64(String(expiresText)),
              let signature = request.uri.queryParameters["signature"]
        else {
            throw UploadError(.forbidden, "this URL is not a signed part URL")
        }
        guard let session = try await store.reader.session(sessionId),
              let part = SessionController.plan(of: session).part(number),
              storage.verify(path: path, expires: expires, signature: String(signature), sessionId: sessionId, part: part, now: Date())
        else {
            throw UploadError(.forbidden, "signature is invalid or expired")
        }
        try SessionController.requireOpen(session)
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > part.size {
            throw UploadError(.payloadTooLarge, "part \(number) is planned as \(part.size) bytes; Content-Length is \(length)")
        }
        let checksums = PartChecksums(
            md5: request.headers[HTTPField.Name("Content-MD5")!],
            sha256: request.headers[HTTPField.Name("x-amz-checksum-sha256")!],
            crc32c: request.headers[HTTPField.Name("x-amz-checksum-crc32c")!])
        if let fault = faults?.decide(sessionId, number, 0) { throw fault }
        try transfers.beginTransfer(sessionId)
        // A single PUT that finishes its session hands its transfer mark over to a completion.
        var completing = false
        defer { completing ? transfers.endCompleting(sessionId) : transfers.endTransfer(sessionId) }
        let single = session.method == .single
        let writer = try await storage.partWriter(
            sessionId: sessionId, part: part, checksums: checksums, computeSHA256: single && hashSinglePUTs)
        let interval = refresh.interval
        try await store.transaction(actedBy: session.userId) { tx in
            // Checked again in the writer's order: a sweep that expired the session first wins here,
            // before a byte is written; otherwise the activity recorded now keeps the session alive.
            try SessionController.requireOpen(try tx.sessions.get(sessionId))
            let current = try tx.parts.get(sessionId: sessionId, partNumber: number)
            if current.status != .uploading {
                try tx.parts.transition(sessionId: sessionId, partNumber: number, to: .uploading)
            }
            try tx.sessions.touch(sessionId, unlessWithin: interval)
        }
        let received: ReceivedPart
        do {
            var recorded = Date()
            for try await buffer in request.body {
                try writer.accept(buffer)
                if writer.flushIsDue { try await writer.flush() }
                if let fault = faults?.decide(sessionId, number, writer.bytesWritten) { throw fault }
                let now = Date()
                if refresh.isDue(last: recorded, now: now) {
                    recorded = now
                    // A record that fails (a busy database) costs nothing but the record: while the
                    // bytes flow, `transfers` keeps the sweeper away.
                    _ = try? await store.transaction(actedBy: session.userId) { tx in
                        let current = try tx.sessions.get(sessionId)
                        guard current.status == .pending || current.status == .uploading else { return }
                        try tx.sessions.touch(sessionId, unlessWithin: interval)
                    }
                }
            }
            received = try await writer.finish()
        } catch {
            writer.discard()
            let failure = error as? UploadError
                ?? UploadError(.badRequest, "part \(number) broke off after \(writer.bytesWritten) of \(part.size) bytes")
            try? await markFailed(session: session, number: number, error: failure)
            throw failure
        }
        let recorded: FilePart
        var finished: UploadSession?
        // Every byte arrived and every checksum it carried held (a checksum declared at `initiate`
        // is checked as the session finishes): a single PUT completes its session by itself.
        if single, transfers.handOverToCompletion(sessionId) {
            completing = true
            do {
                (recorded, finished) = try await finishSingle(session, received: received)
            } catch let error as UploadError {
                try? await markFailed(session: session, number: number, error: error)
                throw error
            }
        } else {
            recorded = try await store.transaction(actedBy: session.userId) { tx in
                let current = try tx.sessions.get(sessionId)
                try SessionController.requireOpen(current)
                if single, current.receivedSHA256 != received.sha256 {
                    try tx.sessions.update(sessionId) { $0.receivedSHA256 = received.sha256 }
                }
                return try tx.parts.markUploaded(
                    sessionId: sessionId, partNumber: number, etag: received.etag, checksum: received.checksum)
            }
        }
        metrics.partReceived(bytes: part.size)
        if let finished { finisher.announce(finished) }
        var headers = HTTPFields()
        headers[.eTag] = recorded.etag ?? received.etag
        headers[HTTPField.Name("x-amz-checksum-crc32c")!] = received.checksum
        headers[.contentType] = "application/json"
        let body = try UploadJSON.string(ControllerResponse.PartRecorded(part: recorded, session: finished))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }

    /// Completes a single-PUT session whose bytes all arrived and whose checksums held, as `complete`
    /// would: the upload file moves into place, then ONE transaction records the part UPLOADED and
    /// finishes the session (``SessionFinisher``: UPLOADED, then PROCESSING with its jobs or
    /// COMPLETED). When that transaction fails, the file moves back and the session stays open, so
    /// the PUT can be sent again. The caller announces the session after commit.
    private func finishSingle(_ session: UploadSession, received: ReceivedPart) async throws -> (FilePart, UploadSession) {
        let upload = StorageUpload(session)
        _ = try await storage.complete(upload, parts: [CompletedPart(partNumber: 1, etag: received.etag)])
        let finisher = self.finisher
        let sessionId = session.id
        do {
            return try await store.transaction(actedBy: session.userId) { tx in
                try SessionController.requireOpen(try tx.sessions.get(sessionId))
                let part = try tx.parts.markUploaded(
                    sessionId: sessionId, partNumber: 1, etag: received.etag, checksum: received.checksum)
                return (part, try finisher.finish(sessionId, receivedSHA256: received.sha256, in: tx))
            }
        } catch {
            try? await storage.reopen(upload)
            throw error
        }
    }

    private func markFailed(session: UploadSession, number: Int, error: UploadError) async throws {
        try await store.transaction(actedBy: session.userId) { tx in
            let part = try tx.parts.get(sessionId: session.id, partNumber: number)
            guard part.status == .uploading else { return }
            try tx.parts.transition(sessionId: session.id, partNumber: number, to: .failed, error: error.detail)
        }
    }
}
