import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFileSystem
import UploadClient
import UploadModel

/// The simulated uploaders of `upman demo`, all using the real `Uploader` over HTTP: a new group
/// of small, medium and multipart files every few seconds, one upload that stalls half-way, and
/// one file whose processing job fails until an operator retries it.
final class DemoScenario: Sendable {
    private let client: ControllerClient
    private let folder: URL
    private let approval: URL
    private let operatorRetries: Bool
    private let interval: Duration
    private let log: DemoLog
    private let retention: DemoRetention
    private static let mebibyte: Int64 = 1 << 20
    private static let names = ["camera-roll", "invoices", "render-frames", "db-backup", "podcast-raw", "site-assets", "scans"]

    /// Creates the scenario; files are generated under `folder`. `approval` is the file the exec
    /// job waits for; with `operatorRetries` the demo retries the failed job itself (headless runs).
    /// Of the groups that complete, the newest `keepGroups` are kept; older ones are deleted.
    init(client: ControllerClient, folder: URL, approval: URL, operatorRetries: Bool, interval: Duration, keepGroups: Int,
         log: DemoLog) {
        self.client = client
        self.folder = folder
        self.approval = approval
        self.operatorRetries = operatorRetries
        self.interval = interval
        self.log = log
        retention = DemoRetention(limit: keepGroups)
    }

    /// Runs until cancelled: the review file and the stalled upload at once, then a group every `interval`.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.review() }
            group.addTask { await self.stall() }
            var number = 0
            while !Task.isCancelled {
                number += 1
                let current = number
                group.addTask { await self.uploadGroup(current) }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One group of generated files: a few small ones, a medium one or two, and every third group a multipart file.
    private func uploadGroup(_ number: Int) async {
        let name = "\(Self.names[(number - 1) % Self.names.count])-\(number)"
        var rng = SeededGenerator(seed: UInt64(number))
        var specs: [(String, Int64)] = []
        for index in 1...(3 + number % 4) {
            specs.append(("note-\(index).txt", Int64.random(in: 1_000...200_000, using: &rng)))
        }
        for index in 1...(1 + number % 2) {
            specs.append(("photo-\(index).jpg", Int64.random(in: Self.mebibyte...4 * Self.mebibyte, using: &rng)))
        }
        if number % 3 == 1 {
            specs.append(("video.mp4", Int64.random(in: 20 * Self.mebibyte...32 * Self.mebibyte, using: &rng)))
        }
        guard let outcome = await upload(specs, group: name, seed: UInt64(number)), outcome.succeeded, !Task.isCancelled else { return }
        for old in await retention.finished(id: outcome.groupId, name: name) {
            do {
                try await client.delete(ControllerRequest.Target(groupId: old.id))
                log.say("deleted the old group \(old.name) (the demo keeps its newest groups)")
            } catch {
                if !Task.isCancelled { log.say("could not delete the old group \(old.name): \(error)") }
            }
        }
    }

    /// Uploads generated files as one group with the real uploader and reports how each ends.
    @discardableResult
    private func upload(_ specs: [(String, Int64)], group: String, seed: UInt64) async -> UploadOutcome? {
        let directory = folder.appendingPathComponent(group)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [LocalFile] = []
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (index, spec) in specs.enumerated() {
                let url = directory.appendingPathComponent(spec.0)
                try Self.generate(url, size: spec.1, seed: seed &* 1000 &+ UInt64(index))
                files.append(try await LocalFile.inspect(FilePath(url.path), uploadName: spec.0))
            }
        } catch {
            log.say("cannot prepare \(group): \(error)")
            return nil
        }
        let total = specs.map(\.1).reduce(0, +)
        log.bump(.groups)
        log.say("group \(group): \(files.count) file\(files.count == 1 ? "" : "s"), \(ByteFormat.size(total))")
        let log = self.log
        let retry = RetryPolicy(maxAttempts: 5, baseDelay: 0.3, maxDelay: 2)
        let uploader = Uploader(client: client, options: UploadOptions(groupName: group, partSize: 8 * Self.mebibyte, concurrency: 4, retry: retry)) { event in
            switch event {
            case .partRetry(let index, _, _, let part, let attempt, let reason, let delay):
                log.bump(.partRetries)
                log.say("retrying part \(part) of \(group)/\(specs[index].0): attempt \(attempt) failed (\(reason)); again in \(String(format: "%.1f", delay)) s")
            case .fileState(let index, _, _, let name, .completed, _):
                log.ended("\(group)/\(name)", .completed)
                log.say("completed \(group)/\(name) (\(ByteFormat.size(specs[index].1)))")
            case .fileState(_, _, _, let name, .failed, let reason):
                log.ended("\(group)/\(name)", .failed)
                log.say("failed \(group)/\(name): \(reason ?? "no reason given")")
            case .fileState(_, _, _, let name, .cancelled, _):
                log.ended("\(group)/\(name)", .interrupted)
                log.say("interrupted \(group)/\(name)")
            default:
                break
            }
        }
        do {
            return try await uploader.run(files)
        } catch {
            if !Task.isCancelled { log.say("group \(group) could not start: \(error)") }
            return nil
        }
    }

    /// A file whose exec job fails until the approval file exists; the approval arrives a few
    /// seconds after the failure, and then an operator's retry (`r` in the dashboard) succeeds.
    private func review() async {
        guard let outcome = await upload([("contract-needs-review.txt", 48_000)], group: "legal-review", seed: 77),
              let sessionId = outcome.files.first?.sessionId, outcome.files.first?.state == .failed
        else { return }
        guard let job = try? await failedJob(sessionId) else { return }
        log.bump(.jobFailures)
        log.say("job \(job.kind) FAILED for legal-review/contract-needs-review.txt after \(job.attempts) attempts: \(job.error?.message ?? "")"
            + (operatorRetries ? "" : " (press r on it to retry)"))
        try? await Task.sleep(for: .seconds(3))
        guard !Task.isCancelled else { return }
        try? Data("approved\n".utf8).write(to: approval)
        log.say("the review was approved: retrying the job will now succeed")
        guard operatorRetries else { return }
        do {
            let retried = try await client.retry(ControllerRequest.Target(jobId: job.id, reason: "approved (upman demo)"))
            log.bump(.operatorRetries)
            log.say("operator retried \(retried.jobs.count) job(s) of legal-review/contract-needs-review.txt")
            for _ in 0..<60 where !Task.isCancelled {
                let session = try await client.status(ControllerRequest.Target(sessionId: sessionId)).sessions.first?.session
                if session?.status == .completed {
                    log.ended("legal-review/contract-needs-review.txt", .completed)
                    log.say("completed legal-review/contract-needs-review.txt after the operator's retry")
                    return
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        } catch {
            if !Task.isCancelled { log.say("operator retry failed: \(error)") }
        }
    }

    /// The failed processing job of a session.
    private func failedJob(_ sessionId: String) async throws -> ProcessingJob? {
        try await client.status(ControllerRequest.Target(sessionId: sessionId)).sessions.first?.jobs.first { $0.status == .failed }
    }

    /// An upload that sends its first part and then goes quiet: the session stays UPLOADING, idle.
    private func stall() async {
        let group = "stalled-backup"
        let name = "archive.tar"
        let size = 24 * Self.mebibyte
        let partSize = 8 * Self.mebibyte
        let directory = folder.appendingPathComponent(group)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appendingPathComponent(name)
            try Self.generate(url, size: size, seed: 4242)
            let file = try await LocalFile.inspect(FilePath(url.path), uploadName: name)
            let created = try await client.createGroup(name: group, description: "a client that went quiet (upman demo)")
            log.bump(.groups)
            let initiated = try await client.initiate(ControllerRequest.Initiate(
                groupId: created.id, fileName: name, size: size, partSize: partSize, fingerprint: file.fingerprint))
            let sessionId = initiated.session.id
            guard let signed = try await client.signParts(sessionId: sessionId, partNumbers: [1]).first else { return }
            let bytes = try await file.withReader { try await $0.read(offset: signed.offset, count: Int(signed.size)) }
            var crc = CRC32C()
            bytes.withUnsafeReadableBytes { crc.update($0) }
            var request = HTTPClientRequest(url: signed.url)
            request.method = .PUT
            request.headers.add(name: "x-amz-checksum-crc32c", value: crc.base64)
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(bytes)
            let response = try await UploadHTTP.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok, let etag = response.headers.first(name: "ETag") else {
                log.say("the stalled upload's first part was refused (\(response.status.code))")
                return
            }
            let recorded = try? UploadJSON.decoder().decode(ControllerResponse.PartRecorded.self, from: Data(body.readableBytesView))
            if recorded?.part.status != .uploaded {
                _ = try await client.partUploaded(sessionId: sessionId, partNumber: 1, etag: etag, size: signed.size)
            }
            log.bump(.stalled)
            log.say("stalled \(group)/\(name): part 1 of \(initiated.totalParts) sent, then the client went quiet")
        } catch {
            if !Task.isCancelled { log.say("the stalled upload could not start: \(error)") }
        }
    }

    /// Writes `size` bytes: a text header, then seeded random bytes (repeating a 1 MiB block).
    static func generate(_ url: URL, size: Int64, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var block = [UInt8](repeating: 0, count: Int(min(size, mebibyte)))
        for index in stride(from: 0, to: block.count, by: 8) {
            let word = rng.next()
            for offset in 0..<min(8, block.count - index) { block[index + offset] = UInt8(truncatingIfNeeded: word >> (offset * 8)) }
        }
        let header = Array("upman demo file \(url.lastPathComponent) seed \(seed)\n".utf8.prefix(block.count))
        block.replaceSubrange(0..<header.count, with: header)
        try Data().write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written: Int64 = 0
        while written < size {
            let count = Int(min(Int64(block.count), size - written))
            try handle.write(contentsOf: block[0..<count])
            written += Int64(count)
        }
    }
}
