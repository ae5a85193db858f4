import AsyncHTTPClient
import Foundation
import NIOCore
import UploadModel

/// Uploads files through the session controller without the caller choosing how: one PUT for
/// small files, parallel parts for large ones, retries with backoff, resume from what the server
/// already has, and operator actions followed live (a cancel stops a file; a retried part is sent
/// again).
public final class Uploader: Sendable {
    let client: ControllerClient
    let options: UploadOptions
    let tracker: ProgressTracker
    let report: @Sendable (TransferEvent) -> Void
    let limiter: AsyncLimiter
    let watch = SessionWatch()

    /// Creates an uploader.
    public init(
        client: ControllerClient, options: UploadOptions, tracker: ProgressTracker = ProgressTracker(),
        report: @escaping @Sendable (TransferEvent) -> Void = { _ in }
    ) {
        self.client = client
        self.options = options
        self.tracker = tracker
        self.report = report
        self.limiter = AsyncLimiter(limit: options.concurrency)
    }

    /// Uploads `files` into one group (or resumes `options.resumeId`) and waits until each file is
    /// COMPLETED, FAILED or CANCELLED. Once the client's ``ServerWait`` has given up on the server,
    /// files not yet started are not tried: they end FAILED (resumable) at once.
    public func run(_ files: [LocalFile]) async throws -> UploadOutcome {
        for (index, file) in files.enumerated() { tracker.add(index, name: file.displayName, size: file.size) }
        let (groupId, existing) = try await prepareGroup(files)
        let feed = Task { [client, watch] in
            for await item in EventFeed(server: client.server, token: client.token, groupId: groupId, http: client.http).items() {
                // Only what the watch acts on is decoded: session changes, and parts sent back to
                // PENDING (a group of many small files brings several events per file).
                guard case .event(let event) = item, SessionWatch.wants(event), let change = try? event.change() else { continue }
                await watch.apply(change)
            }
        }
        defer { feed.cancel() }
        var outcomes = [UploadOutcome.File?](repeating: nil, count: files.count)
        // A window of files in flight: enough to keep the parts' limit busy with small files,
        // few enough that thousands of files do not queue thousands of requests at once. Their
        // requests share the HTTP client's pool of keep-alive connections (``UploadHTTP``).
        let window = max(2, options.concurrency * 2)
        var batched: [(index: Int, file: ControllerRequest.InitiateFile)] = []
        for (index, file) in files.enumerated() where existing[file.uploadName] == nil && file.size < options.batchBelow {
            batched.append((index: index, file: ControllerRequest.InitiateFile(
                fileName: file.uploadName, size: file.size, fingerprint: file.fingerprint, partSize: options.partSize)))
        }
        let batcher = InitiateBatcher(client: client, groupId: groupId, files: batched, limit: options.batchLimit)
        await withTaskGroup(of: (Int, UploadOutcome.File)?.self) { group in
            var next = 0
            func startNext() {
                guard next < files.count else { return }
                let index = next
                let file = files[index]
                next += 1
                group.addTask {
                    guard !self.client.wait.hasGivenUp else { return (index, self.notStarted(index: index, file: file, groupId: groupId)) }
                    return (index, await self.uploadOne(
                        index: index, file: file, groupId: groupId, existing: existing[file.uploadName], batcher: batcher))
                }
                // The next batch of initiates goes out while the window still has files to send.
                if next % window == 0 { group.addTask { await batcher.prefetch(); return nil } }
            }
            for _ in 0..<window { startNext() }
            for await result in group {
                guard let result else { continue }
                let (index, outcome) = result
                outcomes[index] = outcome
                startNext()
            }
        }
        await watch.close()
        return UploadOutcome(groupId: groupId, files: outcomes.compactMap { $0 })
    }

    /// The group to upload into, and what it already holds when resuming.
    private func prepareGroup(_ files: [LocalFile]) async throws -> (String, [String: ControllerResponse.SessionDetail]) {
        guard let resumeId = options.resumeId else {
            let group = try await client.createGroup(name: options.groupName, expectedFiles: files.count,
                                                     expectedBytes: files.reduce(0) { $0 + $1.size })
            report(.group(groupId: group.id, name: group.name, resumed: false))
            return (group.id, [:])
        }
        let target = resumeId.hasPrefix("ses_") ? ControllerRequest.Target(sessionId: resumeId) : ControllerRequest.Target(groupId: resumeId)
        let status = try await client.status(target)
        guard let group = status.group else { throw ClientError.protocolError("the server sent no group for \(resumeId)") }
        var existing: [String: ControllerResponse.SessionDetail] = [:]
        for detail in status.sessions { existing[detail.session.fileName] = detail }
        if resumeId.hasPrefix("ses_"), let only = status.sessions.first, !files.contains(where: { $0.uploadName == only.session.fileName }) {
            throw ClientError.localFile("session \(resumeId) is for \(only.session.fileName), which is not among the paths given")
        }
        report(.group(groupId: group.id, name: group.name, resumed: true))
        return (group.id, existing)
    }

    private func uploadOne(
        index: Int, file: LocalFile, groupId: String, existing: ControllerResponse.SessionDetail?, batcher: InitiateBatcher
    ) async -> UploadOutcome.File {
        var sessionId = existing?.session.id
        do {
            let session: UploadSession
            var urls: [Int: ControllerResponse.SignedPart] = [:]
            var done: Set<Int> = []
            var verified: [Int: UInt32] = [:]
            if let existing {
                session = try await resume(existing, file: file)
                done = Set(existing.parts.filter { $0.status == .uploaded }.map(\.partNumber))
                // `resume` read each of these and found the file's bytes hash to the recorded CRC.
                for part in existing.parts where part.status == .uploaded {
                    if let crc = part.checksum.flatMap(CRC32C.value(base64:)) { verified[part.partNumber] = crc }
                }
            } else {
                let initiated: ControllerResponse.Initiated
                if let batched = try await batcher.initiated(index) {
                    initiated = batched
                } else {
                    initiated = try await client.initiate(ControllerRequest.Initiate(
                        groupId: groupId, fileName: file.uploadName, size: file.size, partSize: options.partSize,
                        fingerprint: file.fingerprint))
                }
                session = initiated.session
                if let url = initiated.url, let expiresAt = initiated.expiresAt {
                    urls[1] = ControllerResponse.SignedPart(partNumber: 1, url: url, expiresAt: expiresAt, offset: 0, size: file.size)
                }
            }
            sessionId = session.id
            let plan = PartPlan(fileSize: session.size, method: session.method, partSize: session.partSize, totalParts: session.totalParts)
            let confirmed = done.compactMap { plan.part($0)?.size }.reduce(0, +)
            tracker.started(index, sessionId: session.id, totalParts: plan.totalParts, partsDone: done.count, confirmedBytes: confirmed)
            report(.fileStarted(index: index, groupId: groupId, sessionId: session.id, name: file.uploadName, size: file.size,
                                method: session.method, totalParts: plan.totalParts, partsAlreadyUploaded: done.count))
            await watch.record(session)
            if session.status == .pending || session.status == .uploading {
                let sender = PartSender(
                    uploader: self, index: index, file: file, session: session, plan: plan, groupId: groupId, urls: urls,
                    verified: verified)
                try await sender.sendAll(except: done)
                // A single PUT to the disk store completes its session itself and answers it: no
                // `complete` then. Otherwise (S3, multipart, an older server) the uploader completes.
                // An operator may reopen a part between the last send and complete: send it, try again.
                // A whole-object checksum the server's parts do not add up to: send the parts whose
                // recorded checksum differs from this file's, try again.
                var tries = 0
                while true {
                    let checksum = try await objectChecksum(file: file, plan: plan, sender: sender)
                    do {
                        // A single PUT to the embedded store completed the session by itself.
                        let completed: UploadSession
                        if let settled = sender.settled {
                            completed = settled
                        } else {
                            completed = try await client.complete(sessionId: session.id, checksum: checksum)
                        }
                        if let recorded = completed.checksum, recorded.crc32cValue != checksum.crc32cValue {
                            throw ClientError.server(status: 422, code: "checksumMismatch",
                                message: "\(file.uploadName): the server recorded crc32c \(recorded.value), this file has \(checksum.value)")
                        }
                        await watch.record(completed)
                        break
                    } catch let error as ClientError where error.code == "conflict" && tries < 3 {
                        tries += 1
                        let parts = try await client.status(ControllerRequest.Target(sessionId: session.id)).sessions.first?.parts ?? []
                        try await sender.sendAll(except: Set(parts.filter { $0.status == .uploaded }.map(\.partNumber)))
                    } catch let error as ClientError where error.code == "checksumMismatch" && tries < 3 && sender.settled == nil {
                        tries += 1
                        let parts = try await client.status(ControllerRequest.Target(sessionId: session.id)).sessions.first?.parts ?? []
                        let local = sender.sentChecksums
                        let good = parts.filter { $0.status == .uploaded && $0.checksum.flatMap(CRC32C.value(base64:)) == local[$0.partNumber] }
                        try await sender.sendAll(except: Set(good.map(\.partNumber)), again: true)
                    }
                }
            }
            return try await finish(index: index, file: file, groupId: groupId, sessionId: session.id)
        } catch {
            if error is CancellationError || Task.isCancelled {
                tracker.set(index, .cancelled)
                return UploadOutcome.File(name: file.uploadName, sessionId: sessionId, state: .cancelled, reason: "interrupted", resumable: true)
            }
            let reason = (error as? ClientError)?.description ?? "\(error)"
            var state = FileProgress.State.failed
            var resumable = true
            switch error as? ClientError {
            case .cancelled: state = .cancelled
            case .fileChanged, .localFile: resumable = false
            default: break
            }
            if let sessionId, let known = await watch.session(sessionId), known.status == .cancelled { state = .cancelled }
            if state == .cancelled { resumable = false }
            tracker.set(index, state)
            report(.fileState(index: index, groupId: groupId, sessionId: sessionId, name: file.uploadName, state: state, reason: reason))
            return UploadOutcome.File(name: file.uploadName, sessionId: sessionId, state: state, reason: reason, resumable: resumable)
        }
    }

    /// The whole file's CRC-32C (S3's "full object" checksum), combined from the parts' CRCs: those
    /// the sender read or a resume verified, and any other part already on the server, read now.
    private func objectChecksum(file: LocalFile, plan: PartPlan, sender: PartSender) async throws -> ObjectChecksum {
        let known = sender.sentChecksums
        var parts: [(crc: UInt32, size: Int64)] = []
        for number in 1...max(1, plan.totalParts) {
            guard let planned = plan.part(number) else { continue }
            if let crc = known[number] {
                parts.append((crc, planned.size))
            } else {
                parts.append((try await file.crc32c(offset: planned.offset, length: planned.size), planned.size))
            }
        }
        return ObjectChecksum.combining(parts) ?? ObjectChecksum(crc32c: 0)
    }

    /// A file not tried because the server stayed away past the client's patience.
    private func notStarted(index: Int, file: LocalFile, groupId: String) -> UploadOutcome.File {
        let reason = "not started: the server stayed away past the patience of \(Int(client.wait.patience.rounded())) s"
        tracker.set(index, .failed)
        report(.fileState(index: index, groupId: groupId, sessionId: nil, name: file.uploadName, state: .failed, reason: reason))
        return UploadOutcome.File(name: file.uploadName, sessionId: nil, state: .failed, reason: reason, resumable: true)
    }

    /// Checks a session can be resumed with this local file, and readies it.
    private func resume(_ detail: ControllerResponse.SessionDetail, file: LocalFile) async throws -> UploadSession {
        var session = detail.session
        if session.status == .completed { return session }
        guard session.size == file.size else {
            throw ClientError.fileChanged("\(file.path) is \(file.size) bytes now, \(session.size) when the upload began; not resuming it")
        }
        if let fingerprint = session.fingerprint, fingerprint != file.fingerprint {
            throw ClientError.fileChanged("\(file.path) was modified since the upload began; not resuming it")
        }
        let plan = PartPlan(fileSize: session.size, method: session.method, partSize: session.partSize, totalParts: session.totalParts)
        let uploaded = detail.parts.filter { $0.status == .uploaded }
        // Parts with a recorded CRC-32C are all checked (it is cheap); others by a sample of their MD5 ETags.
        for part in uploaded {
            guard let recorded = part.checksum.flatMap(CRC32C.value(base64:)), let planned = plan.part(part.partNumber) else { continue }
            guard try await file.crc32c(offset: planned.offset, length: planned.size) == recorded else {
                throw ClientError.fileChanged("\(file.path) differs from what was uploaded (part \(part.partNumber)); not resuming it")
            }
        }
        for part in Self.sample(uploaded.filter { $0.checksum == nil }) {
            guard let etag = part.etag.flatMap({ EntityTag($0) })?.opaque, !etag.contains("-"),
                  let planned = plan.part(part.partNumber)
            else { continue }
            let local = Hex.lowercase(try await file.md5(offset: planned.offset, length: planned.size))
            guard local == etag else {
                throw ClientError.fileChanged("\(file.path) differs from what was uploaded (part \(part.partNumber)); not resuming it")
            }
        }
        switch session.status {
        case .cancelled, .expired:
            throw ClientError.cancelled("\(file.uploadName): the session is \(session.status.rawValue) and cannot be resumed")
        case .failed:
            let retried = try await client.retry(ControllerRequest.Target(sessionId: session.id))
            if let moved = retried.sessions.first(where: { $0.id == session.id }) { session = moved }
        default:
            break
        }
        return session
    }

    /// The first, the last and a middle part: enough to tell a different file.
    static func sample(_ parts: [FilePart]) -> [FilePart] {
        guard parts.count > 3 else { return parts }
        return [parts[0], parts[parts.count / 2], parts[parts.count - 1]]
    }

    /// Waits for the session's end (processing jobs included), resending parts an operator reopens.
    private func finish(index: Int, file: LocalFile, groupId: String, sessionId: String) async throws -> UploadOutcome.File {
        var announcedProcessing = false
        var lastPoll = Date()
        while true {
            var session = await watch.session(sessionId)
            // The live feed is the fast path; a poll every few seconds covers a change it never
            // delivered (a busy machine, a dropped stream), so a finished file is never waited on forever.
            let stale = Date().timeIntervalSince(lastPoll) >= 3
            // A poll that fails even after the client rode out the server's absence ends the file.
            if session == nil || stale || !(session!.status.isMoving == false || session!.status == .processing || session!.status == .uploaded) {
                lastPoll = Date()
                if let polled = try await client.status(ControllerRequest.Target(sessionId: sessionId)).sessions.first?.session {
                    await watch.record(polled)
                    session = polled
                }
            }
            guard let current = session else { throw ClientError.protocolError("session \(sessionId) vanished") }
            switch current.status {
            case .completed:
                tracker.set(index, .completed)
                report(.fileState(index: index, groupId: groupId, sessionId: sessionId, name: file.uploadName, state: .completed, reason: nil))
                return UploadOutcome.File(name: file.uploadName, sessionId: sessionId, state: .completed, reason: nil)
            case .failed, .expired, .cancelled:
                let state: FileProgress.State = current.status == .cancelled ? .cancelled : .failed
                let reason = current.error?.message ?? current.status.rawValue
                tracker.set(index, state)
                report(.fileState(index: index, groupId: groupId, sessionId: sessionId, name: file.uploadName, state: state, reason: reason))
                return UploadOutcome.File(name: file.uploadName, sessionId: sessionId, state: state, reason: reason)
            case .uploaded, .processing:
                if !options.waitForProcessing {
                    tracker.set(index, .completed)
                    return UploadOutcome.File(name: file.uploadName, sessionId: sessionId, state: .completed, reason: nil)
                }
                if !announcedProcessing {
                    announcedProcessing = true
                    tracker.set(index, .processing)
                    report(.fileState(index: index, groupId: groupId, sessionId: sessionId, name: file.uploadName, state: .processing, reason: nil))
                }
            case .pending, .uploading:
                break
            }
            await watch.waitForChange(sessionId, seconds: 1)
        }
    }
}
