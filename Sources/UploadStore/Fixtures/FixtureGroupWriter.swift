import Foundation
import UploadModel

/// Writes one fixture group and its files inside a transaction, advancing the transaction's clock
/// as a real upload would.
struct FixtureGroupWriter {
    let tx: StoreTransaction
    let index: Int
    /// Recent groups are mostly still moving; older ones mostly ended.
    let recent: Bool

    private static let users = ["alice", "bob", "carol", "dave", "erin", "ci-bot"]
    /// A kind of batch: the group's name and how its files are named.
    private struct Theme {
        let group: String
        let prefix: String
        let digits: Int
        let suffix: String

        func file(_ number: Int) -> String {
            let digits = String(number)
            return prefix + String(repeating: "0", count: max(0, self.digits - digits.count)) + digits + suffix
        }
    }

    private static let themes = [
        Theme(group: "photos", prefix: "IMG_", digits: 4, suffix: ".jpg"),
        Theme(group: "render-frames", prefix: "frame_", digits: 5, suffix: ".exr"),
        Theme(group: "db-backup", prefix: "dump-part-", digits: 3, suffix: ".sql.gz"),
        Theme(group: "videos", prefix: "clip_", digits: 2, suffix: ".mp4"),
        Theme(group: "scans", prefix: "résumé-", digits: 2, suffix: ".pdf"),
        Theme(group: "写真", prefix: "写真-", digits: 2, suffix: ".jpg"),
        Theme(group: "logs", prefix: "app-", digits: 3, suffix: ".log.zst"),
    ]
    private static let partErrors = [
        ErrorDetail(code: "networkError", message: "connection reset by peer after 30s"),
        ErrorDetail(code: "checksumMismatch", message: "Content-MD5 did not match the bytes received"),
        ErrorDetail(code: "urlExpired", message: "signed URL expired before the part arrived"),
        ErrorDetail(code: "storageUnavailable", message: "storage answered 503 Slow Down"),
    ]
    private static let mebibyte = PartPlanner.mebibyte

    init(tx: StoreTransaction, index: Int, recent: Bool) {
        self.tx = tx
        self.index = index
        self.recent = recent
    }

    /// The fate a fixture file meets.
    private enum Fate: CaseIterable {
        case completed, uploading, stalled, failed, jobFailed, processing, uploaded, pending, cancelled, expired
    }

    mutating func write(files: Int, rng: inout SeededGenerator, report: inout FixtureReport) throws {
        let theme = Self.themes[Int(rng.next() % UInt64(Self.themes.count))]
        let user = Self.users[Int(rng.next() % UInt64(Self.users.count))]
        let group = try tx.groups.create(UploadGroup(
            id: UploadID.make("grp", using: &rng), userId: user,
            name: theme.group + "-" + Theme(group: "", prefix: "", digits: 5, suffix: "").file(index), createdAt: tx.now))
        report.groups += 1
        let cancelGroup = rng.next() % 50 == 0
        for file in 0..<files {
            let fate = cancelGroup && file > files / 2 ? .pending : pickFate(&rng)
            try writeFile(
                group: group, name: theme.file(file + 1), fate: fate, rng: &rng, report: &report)
        }
        if cancelGroup {
            let current = try tx.groups.get(group.id)
            if UploadLifecycle.canMove(from: current.status, to: .cancelled) {
                tick(5)
                try tx.groups.cancel(group.id, reason: ErrorDetail(code: "cancelledByOperator", message: "cancelled by an operator: stuck upload"))
            }
        }
    }

    /// A file's fate by a roll of 0..<100: the first entry the roll is below. Recent groups are
    /// still moving; older ones have mostly settled.
    private static let recentFates: [(below: Int, fate: Fate)] = [
        (35, .completed), (65, .uploading), (75, .processing), (85, .pending), (92, .failed), (100, .uploaded),
    ]
    private static let settledFates: [(below: Int, fate: Fate)] = [
        (70, .completed), (76, .failed), (80, .jobFailed), (84, .stalled), (87, .cancelled), (91, .expired),
        (94, .processing), (97, .uploading), (100, .pending),
    ]

    private func pickFate(_ rng: inout SeededGenerator) -> Fate {
        let roll = Int(rng.next() % 100)
        let fates = recent ? Self.recentFates : Self.settledFates
        return fates.first { roll < $0.below }?.fate ?? .pending
    }

    private func randomSize(_ rng: inout SeededGenerator) -> Int64 {
        let roll = rng.next() % 100
        if roll < 40 { return Int64(rng.next() % UInt64(7 * Self.mebibyte)) }
        if roll < 75 { return 8 * Self.mebibyte + Int64(rng.next() % UInt64(152 * Self.mebibyte)) }
        return 160 * Self.mebibyte + Int64(rng.next() % UInt64(320 * Self.mebibyte))
    }

    private func tick(_ seconds: Double) {
        tx.now = tx.now.addingTimeInterval(seconds)
    }

    private mutating func writeFile(
        group: UploadGroup, name: String, fate: Fate, rng: inout SeededGenerator, report: inout FixtureReport
    ) throws {
        let size = randomSize(&rng)
        let plan = try PartPlanner().plan(fileSize: size)
        let sessionId = UploadID.make("ses", using: &rng)
        let session = try tx.sessions.create(UploadSession(
            id: sessionId, groupId: group.id, userId: group.userId, fileName: name,
            contentType: name.hasSuffix(".jpg") ? "image/jpeg" : nil, size: size,
            objectKey: ObjectKey.make(userId: group.userId, groupId: group.id, sessionId: sessionId, fileName: name),
            uploadId: plan.method == .multipart ? UploadID.make("mpu", using: &rng) : nil,
            method: plan.method, partSize: plan.partSize, totalParts: plan.totalParts,
            attempts: 1, createdAt: tx.now))
        report.sessions += 1
        report.parts += plan.totalParts
        tick(0.05)

        switch fate {
        case .pending:
            return
        case .cancelled:
            try sendParts(session, upTo: plan.totalParts / 2, rng: &rng)
            tick(2)
            try tx.sessions.cancel(sessionId, reason: ErrorDetail(code: "cancelledByOperator", message: "cancelled by an operator"))
        case .expired:
            try sendParts(session, upTo: plan.totalParts / 3, rng: &rng)
            tick(2)
            try tx.sessions.transition(sessionId, to: .expired, error: ErrorDetail(code: "sessionExpired", message: "no activity for 24h; bytes removed"))
        case .uploading, .stalled:
            let done = Int(rng.next() % UInt64(plan.totalParts))
            try sendParts(session, upTo: done, rng: &rng)
            if done < plan.totalParts {
                try tx.parts.transition(sessionId: sessionId, partNumber: done + 1, to: .uploading)
            }
        case .failed:
            let done = Int(rng.next() % UInt64(plan.totalParts))
            try sendParts(session, upTo: done, rng: &rng)
            let error = Self.partErrors[Int(rng.next() % UInt64(Self.partErrors.count))]
            try tx.parts.transition(sessionId: sessionId, partNumber: done + 1, to: .failed, error: error)
            tick(1)
            try tx.sessions.transition(
                sessionId, to: .failed,
                error: ErrorDetail(code: "partRetriesExhausted", message: "part \(done + 1) failed 5 times: \(error.message)"))
        case .uploaded, .processing, .completed, .jobFailed:
            try sendParts(session, upTo: plan.totalParts, rng: &rng)
            tick(0.2)
            try tx.sessions.transition(sessionId, to: .uploaded)
            if fate == .uploaded { return }
            try process(session, fate: fate, rng: &rng, report: &report)
        }
    }

    /// Uploads parts 1...count, some after a failed first attempt.
    private func sendParts(_ session: UploadSession, upTo count: Int, rng: inout SeededGenerator) throws {
        guard count > 0 else { return }
        for number in 1...count {
            if rng.next() % 40 == 0 {
                let error = Self.partErrors[Int(rng.next() % UInt64(Self.partErrors.count))]
                try tx.parts.transition(sessionId: session.id, partNumber: number, to: .failed, error: error)
                tick(1)
            }
            let etag = String(format: "\"%016llx%016llx\"", rng.next(), rng.next())
            try tx.parts.markUploaded(sessionId: session.id, partNumber: number, etag: etag)
            tick(0.08)
        }
    }

    /// Runs the processing jobs of an uploaded session to the fate's end.
    private func process(
        _ session: UploadSession, fate: Fate, rng: inout SeededGenerator, report: inout FixtureReport
    ) throws {
        try tx.sessions.transition(session.id, to: .processing)
        var jobs: [ProcessingJob] = []
        for (position, kind) in ["sha256", "content-type"].enumerated() {
            jobs.append(try tx.jobs.enqueue(ProcessingJob(
                id: UploadID.make("job", using: &rng), sessionId: session.id, groupId: session.groupId,
                kind: kind, position: position, createdAt: tx.now)))
            report.jobs += 1
        }
        if fate == .processing {
            tick(0.5)
            try tx.jobs.transition(jobs[0].id, to: .running)
            return
        }
        for job in jobs {
            tick(0.3)
            try tx.jobs.transition(job.id, to: .running)
            tick(Double(rng.next() % 20) / 10)
            if fate == .jobFailed && job.kind == "sha256" {
                let error = ErrorDetail(code: "sha256Mismatch", message: "declared sha256 differs from the stored bytes")
                for attempt in 1...job.maxAttempts {
                    try tx.jobs.transition(job.id, to: .failed, error: error)
                    if attempt < job.maxAttempts {
                        tick(2)
                        try tx.jobs.transition(job.id, to: .queued, runAfter: tx.now)
                        try tx.jobs.transition(job.id, to: .running)
                    }
                }
                try tx.sessions.transition(session.id, to: .failed, error: ErrorDetail(code: "jobFailed", message: "sha256: \(error.message)"))
                return
            }
            let output = job.kind == "sha256"
                ? String(format: "%016llx%016llx%016llx%016llx", rng.next(), rng.next(), rng.next(), rng.next())
                : (session.contentType ?? "application/octet-stream")
            try tx.jobs.transition(job.id, to: .succeeded, output: output)
        }
        tick(0.1)
        try tx.sessions.transition(session.id, to: .completed)
    }
}
