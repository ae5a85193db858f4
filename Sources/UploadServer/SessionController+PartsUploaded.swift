import Foundation
import ObjectStorage
import UploadModel
import UploadStore

extension SessionController {
    /// The most entries one `partsUploaded` takes: S3's limit of parts per upload.
    static let maximumReportedParts = 10_000

    /// `partsUploaded`: ``partUploaded(_:_:)`` for many parts of one session in one call (DESIGN
    /// v1.1), with the same rules and all or nothing.
    ///
    /// Every entry is checked before anything is recorded: its part number is in the plan and listed
    /// once, its size is the planned one, its ETag is a strong tag (compared without quotes, RFC 9110
    /// §8.8.3); a bad entry is a 400/422 naming it. On S3 one ListParts (every page of it; HeadObject
    /// for a single PUT) must show each part at its planned size with that tag, else 409
    /// ``UploadError/Code/invalidPart``; on the disk store each part must already be recorded by the
    /// part receiver with that tag. The parts are then recorded in one store transaction, so a
    /// refusal leaves every part as it was. A repeat of a report that was applied is answered with
    /// the parts as recorded, also after the session moved on. A part's `checksum` (its CRC-32C as
    /// the uploader read it) is recorded with it on S3, where the storage does not report one, so the
    /// session's whole-object checksum can be combined from the parts'; on the disk store the
    /// receiver's own CRC stands.
    func partsUploaded(_ request: ControllerRequest.PartsUploaded, _ principal: Principal) async throws -> ControllerResponse.PartsRecorded {
        let session = try await visibleSession(request.sessionId, principal)
        guard !request.parts.isEmpty, request.parts.count <= Self.maximumReportedParts else {
            throw UploadError(.invalidArgument, "parts must list 1 to \(Self.maximumReportedParts) parts, not \(request.parts.count)")
        }
        let reports = try Self.checkedReports(request.parts, of: session)
        let recorded = Dictionary(uniqueKeysWithValues: try await store.reader.parts(sessionId: session.id).map { ($0.partNumber, $0) })
        let repeats = reports.compactMap { report in recorded[report.number].flatMap { Self.repeatedReport(session, $0, report.etag) } }
        if repeats.count == reports.count { return ControllerResponse.PartsRecorded(parts: repeats) }
        try Self.requireOpen(session)
        let fromStorage = !storage.recordsPartsOnArrival
        if fromStorage {
            let held: [Int: [StoredPart]]
            do {
                held = try await heldParts(session)
            } catch let error as UploadError where error.code == .uploadGone {
                let expired = try await store.transaction(actedBy: principal.actor) { tx in
                    try SessionFinisher.expireGone(session.id, reason: error, in: tx)
                }
                throw UploadError(.conflict, "session \(session.id) is \(expired.status.rawValue): \(expired.error?.message ?? error.message)")
            }
            for report in reports {
                try Self.requireHeld(held[report.number], report, session)
            }
        }
        let parts = try await store.transaction(actedBy: principal.actor) { tx in
            let current = try tx.sessions.get(session.id)
            var answers: [FilePart] = []
            answers.reserveCapacity(reports.count)
            for report in reports {
                let existing = try tx.parts.get(sessionId: session.id, partNumber: report.number)
                if let answer = Self.repeatedReport(current, existing, report.etag) {
                    answers.append(answer)
                    continue
                }
                try Self.requireOpen(current)
                guard fromStorage else {
                    guard existing.status == .uploaded, let stored = existing.etag else {
                        throw UploadError(.invalidPart, "part \(report.number) of session \(session.id) has not arrived in storage (it is \(existing.status.rawValue)); PUT its bytes to its signed URL, which records it")
                    }
                    guard EntityTag.same(stored, report.etag.quoted) else {
                        throw UploadError(.invalidPart, "part \(report.number) was stored with ETag \(stored), not \(report.etag.quoted)")
                    }
                    answers.append(existing)
                    continue
                }
                answers.append(try tx.parts.markUploaded(
                    sessionId: session.id, partNumber: report.number, etag: report.etag.quoted, checksum: report.checksum))
            }
            return answers
        }
        return ControllerResponse.PartsRecorded(parts: parts)
    }

    /// The entries of a report, each checked against the session's plan: 422 `invalidArgument` for a
    /// part outside it, a part listed twice, a size other than the planned one, or an ETag that is
    /// empty, weak or malformed.
    private static func checkedReports(
        _ entries: [ControllerRequest.ReportedPart], of session: UploadSession
    ) throws -> [(number: Int, etag: EntityTag, checksum: String?)] {
        let plan = Self.plan(of: session)
        var seen = Set<Int>()
        return try entries.enumerated().map { index, entry in
            guard let planned = plan.part(entry.partNumber) else {
                throw UploadError(.invalidArgument, "parts[\(index)]: part \(entry.partNumber) is outside 1...\(session.totalParts)")
            }
            guard seen.insert(entry.partNumber).inserted else {
                throw UploadError(.invalidArgument, "parts[\(index)]: part \(entry.partNumber) is listed more than once")
            }
            guard entry.size == planned.size else {
                throw UploadError(.invalidArgument, "parts[\(index)]: part \(entry.partNumber) is planned as \(planned.size) bytes, not \(entry.size)")
            }
            return (entry.partNumber, try EntityTag.parse(entry.etag, field: "parts[\(index)].etag"), entry.checksum)
        }
    }

    /// What the storage holds of an S3 session, by part number: one ListParts (all its pages) for a
    /// multipart upload, HeadObject for a single PUT. A number may hold several entries: SeaweedFS
    /// lists every PUT of a part (see ``PartAudit``). Throws `uploadGone` when the upload is gone.
    private func heldParts(_ session: UploadSession) async throws -> [Int: [StoredPart]] {
        let upload = StorageUpload(session)
        let held: [StoredPart]
        if session.method == .multipart, let listed = try await storage.uploadedParts(upload) {
            held = listed
        } else {
            held = try await storage.storedPart(upload, partNumber: 1).map { [$0] } ?? []
        }
        return Dictionary(grouping: held, by: \.partNumber)
    }

    /// Throws 409 `invalidPart` unless the storage holds the reported part at its planned size with
    /// the reported tag (among the entries it lists for that number).
    private static func requireHeld(
        _ entries: [StoredPart]?, _ report: (number: Int, etag: EntityTag, checksum: String?), _ session: UploadSession
    ) throws {
        let number = report.number
        let planned = Self.plan(of: session).part(number)?.size ?? -1
        let entries = entries ?? []
        if entries.contains(where: { $0.size == planned && EntityTag($0.etag) == report.etag }) { return }
        guard let held = entries.last(where: { EntityTag($0.etag) == report.etag }) ?? entries.last else {
            throw UploadError(.invalidPart, "the storage holds no part \(number) of session \(session.id); PUT its bytes to its signed URL first (nothing of this report was recorded)")
        }
        guard held.size == planned else {
            throw UploadError(.invalidPart, "the storage holds part \(number) with \(held.size) bytes, not the \(planned) planned; send it again (nothing of this report was recorded)")
        }
        guard let heldTag = EntityTag(held.etag), heldTag == report.etag else {
            throw UploadError(.invalidPart, "the storage holds part \(number) with ETag \(held.etag), not \(report.etag.quoted) (nothing of this report was recorded)")
        }
    }
}
