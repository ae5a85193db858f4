import Foundation
import ObjectStorage
import UploadModel
import UploadStore

/// Finishes a session whose bytes all arrived (UPLOADED, then PROCESSING with its jobs queued,
/// or COMPLETED when no jobs are configured), and expires one whose storage upload vanished.
/// The controller's `complete`, the storage webhook and the reconciler all finish through it.
struct SessionFinisher: Sendable {
    let kinds: [String]
    let maxAttempts: Int
    let metrics: ServerMetrics
    let jobs: JobSignal

    init(configuration: ServerConfiguration, metrics: ServerMetrics, jobs: JobSignal) {
        self.kinds = configuration.jobs
        self.maxAttempts = configuration.jobMaxAttempts
        self.metrics = metrics
        self.jobs = jobs
    }

    /// Inside `tx`: moves a PENDING or UPLOADING session on, recording the whole object's checksum
    /// combined from its parts'; any other session is returned as it is.
    ///
    /// - Parameters:
    ///   - expected: the whole object's checksum as the uploader computed it, if it sent one with
    ///     `complete`; else the one it declared at `initiate`, if any.
    ///   - receivedSHA256: the SHA-256 a single PUT computed as its bytes streamed in, recorded
    ///     with the move to UPLOADED.
    /// - Throws: ``UploadError/Code/conflict`` (409) unless every part of the session is UPLOADED: a
    ///   session is never finished with bytes that did not all arrive.
    ///   ``UploadError/Code/checksumMismatch`` (422) when `expected` differs from the parts'
    ///   combined checksum; the session stays open. When a part has no recorded checksum (an S3
    ///   part reported without one) there is nothing to compare with: the session finishes without
    ///   a `checksum`.
    func finish(
        _ id: String, expected: ObjectChecksum? = nil, receivedSHA256: String? = nil, in tx: StoreTransaction
    ) throws -> UploadSession {
        let current = try tx.sessions.get(id)
        guard current.status == .pending || current.status == .uploading else { return current }
        let parts = try tx.parts.forSession(id)
        let missing = parts.filter { $0.status != .uploaded }.map(\.partNumber)
        guard missing.isEmpty, parts.count == current.totalParts else {
            throw UploadError(.conflict, "session \(id) cannot finish: part(s) \(PartAudit.list(missing)) are not uploaded")
        }
        let checksum = try Self.checkedChecksum(parts, expected: expected ?? current.checksum, sessionId: id)
        // The checksum goes with the move to UPLOADED: one change, one event.
        try tx.sessions.transition(id, to: .uploaded) { session in
            if let checksum { session.checksum = checksum }
            if let receivedSHA256 { session.receivedSHA256 = receivedSHA256 }
        }
        guard !kinds.isEmpty else { return try tx.sessions.transition(id, to: .completed) }
        let processing = try tx.sessions.transition(id, to: .processing)
        for (position, kind) in kinds.enumerated() {
            try tx.jobs.enqueue(ProcessingJob(
                id: UploadID.make("job"), sessionId: id, groupId: current.groupId, kind: kind,
                position: position, maxAttempts: maxAttempts, createdAt: tx.now))
        }
        return processing
    }

    /// The full-object CRC-32C of `parts` (see ``combinedChecksum(_:)``), checked against `expected`
    /// when there is one: 422 `checksumMismatch` when they differ. Nothing to compare with (a part
    /// without a checksum) is no mismatch.
    static func checkedChecksum(_ parts: [FilePart], expected: ObjectChecksum?, sessionId: String) throws -> ObjectChecksum? {
        let checksum = combinedChecksum(parts)
        guard let expected, let checksum else { return checksum }
        guard let expectedValue = expected.crc32cValue else {
            throw UploadError(.invalidArgument, "checksum must be {\"algorithm\":\"crc32c\",\"value\":BASE64 of 4 bytes}")
        }
        guard checksum.crc32cValue == expectedValue else {
            throw UploadError(.checksumMismatch, "session \(sessionId): the parts combine to crc32c \(checksum.value), not \(expected.value); compare the parts' checksums and send the differing ones again")
        }
        return checksum
    }

    /// The full-object CRC-32C of `parts` (in part order), when every one has a checksum.
    static func combinedChecksum(_ parts: [FilePart]) -> ObjectChecksum? {
        var values: [(crc: UInt32, size: Int64)] = []
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            guard let value = part.checksum.flatMap(CRC32C.value(base64:)) else { return nil }
            values.append((value, part.size))
        }
        return ObjectChecksum.combining(values)
    }

    /// After commit: counts a completion or wakes the job runner.
    func announce(_ session: UploadSession) {
        if session.status == .completed { metrics.sessionCompleted() }
        if session.status == .processing { jobs.notify() }
    }

    /// Inside `tx`: an open session whose storage upload is gone becomes EXPIRED with the reason
    /// (code `uploadGone`); a session that already moved on is returned as it is.
    static func expireGone(_ id: String, reason: UploadError, in tx: StoreTransaction) throws -> UploadSession {
        let current = try tx.sessions.get(id)
        guard current.status == .pending || current.status == .uploading else { return current }
        return try tx.sessions.transition(
            id, to: .expired,
            error: ErrorDetail(code: UploadError.Code.uploadGone.rawValue,
                               message: "the storage no longer has this upload (\(reason.message)); its bytes are gone"))
    }
}
