import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import UploadModel

/// Sends the parts of one file: in parallel under the uploader's limit, each read from the file
/// once into memory, checksummed (CRC-32C; MD5 only when asked) and sent from that buffer, retried
/// with backoff, with fresh URLs when old ones expire. The file is open only while a part holds
/// one of the limiter's slots, so open files (and parts held in memory) never outnumber the parts
/// in flight; a server that is away is waited for through the client's ``ServerWait``.
/// Where the storage's answer does not record a part (S3), finished parts are reported to the
/// controller in batches, with their CRC-32C, through one ``PartReporter`` per session.
final class PartSender: Sendable {
    let uploader: Uploader
    let index: Int
    let file: LocalFile
    let session: UploadSession
    let plan: PartPlan
    let groupId: String
    private let urls: URLCache
    /// The CRC-32C of every part sent, by part number, as first read (a later read that differs
    /// means the file changed under the upload), and of the parts a resume verified.
    private let sent = Mutex<[Int: UInt32]>([:])
    private let completed = Mutex<UploadSession?>(nil)
    private let reporter: PartReporter

    /// `verified`: the CRC-32C of parts already on the server that this file was checked to match
    /// (a resume), so they are not read again for the whole file's checksum.
    init(uploader: Uploader, index: Int, file: LocalFile, session: UploadSession, plan: PartPlan, groupId: String,
         urls: [Int: ControllerResponse.SignedPart], verified: [Int: UInt32] = [:]) {
        self.uploader = uploader
        self.index = index
        self.file = file
        self.session = session
        self.plan = plan
        self.groupId = groupId
        self.urls = URLCache(client: uploader.client, sessionId: session.id, totalParts: plan.totalParts, seed: urls)
        self.reporter = PartReporter(client: uploader.client, sessionId: session.id)
        sent.withLock { $0 = verified }
    }

    /// The session as a PUT's answer carried it when that PUT completed the session by itself (a
    /// single PUT to the disk store): UPLOADED, PROCESSING or COMPLETED; nil otherwise.
    var settled: UploadSession? { completed.withLock { $0 } }

    /// Sends every part not in `done`, then any an operator reopened meanwhile. Throws the first
    /// part's final failure, or `cancelled` as soon as the session is cancelled.
    ///
    /// With `again`, the parts to send were counted as done before (their bytes on the server do
    /// not match this file's): the progress display takes them back first.
    func sendAll(except done: Set<Int>, again: Bool = false) async throws {
        var pending = (1...plan.totalParts).filter { !done.contains($0) }
        if again {
            for number in pending {
                if let part = plan.part(number) { uploader.tracker.partReopened(index, part: number, size: part.size) }
            }
        }
        while !pending.isEmpty {
            try await sendBatch(pending)
            let reopened = await uploader.watch.takeReopened(session.id)
            pending = reopened.sorted()
            for number in pending {
                if let part = plan.part(number) { uploader.tracker.partReopened(index, part: number, size: part.size) }
            }
        }
    }

    private func sendBatch(_ numbers: [Int]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.watchForCancel() }
            for number in numbers {
                group.addTask { try await self.send(number) }
            }
            // The watcher only ever ends by throwing, so each result is one part done.
            for _ in numbers {
                try await group.next()
            }
            group.cancelAll()
        }
    }

    /// Throws `cancelled` when the live feed says the session was cancelled (or expired).
    private func watchForCancel() async throws {
        while !Task.isCancelled {
            await uploader.watch.waitForChange(session.id, seconds: 1)
            if let known = await uploader.watch.session(session.id), known.status == .cancelled || known.status == .expired {
                throw ClientError.cancelled("\(file.uploadName): the session was \(known.status.rawValue.lowercased()) by an operator")
            }
        }
        throw CancellationError()
    }

    private func send(_ number: Int) async throws {
        guard let part = plan.part(number) else { return }
        let policy = uploader.options.retry
        let wait = uploader.client.wait
        var attempt = 0
        var tries = 0
        while true {
            tries += 1
            try await wait.ready()
            await uploader.limiter.acquire()
            let result: Result<PutAnswer, any Error>
            do {
                let url = try await urls.url(for: number)
                let bytes = try await file.withReader { try await $0.read(offset: part.offset, count: Int(part.size)) }
                let digest = PartDigest(bytes, md5: uploader.options.checksum == .md5)
                let first = sent.withLock { known in
                    if let earlier = known[number] { return earlier }
                    known[number] = digest.crc32c
                    return digest.crc32c
                }
                guard first == digest.crc32c else {
                    throw ClientError.fileChanged("\(file.path) changed while it was being uploaded (part \(number) reads differently now)")
                }
                result = .success(try await put(part, url: url, bytes: bytes, digest: digest))
            } catch {
                result = .failure(error)
            }
            await uploader.limiter.release()
            switch result {
            case .success(let answer):
                wait.answered()
                if !answer.recorded {
                    let checksum = sent.withLock { $0[number] }.map(CRC32C.base64)
                    try await reporter.report(ControllerRequest.ReportedPart(
                        partNumber: number, etag: answer.etag, size: part.size, checksum: checksum))
                }
                if let settled = answer.settled { completed.withLock { $0 = settled } }
                uploader.tracker.partDone(index, part: number, size: part.size)
                uploader.report(.partUploaded(index: index, groupId: groupId, sessionId: session.id, partNumber: number, size: part.size, attempts: tries))
                return
            case .failure(let error):
                uploader.tracker.partFailed(index, part: number)
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let clientError = error as? ClientError
                switch clientError {
                case .fileChanged, .localFile, .cancelled: throw error
                default: break
                }
                if clientError?.status == 409 {
                    throw ClientError.cancelled("\(file.uploadName): the server no longer takes bytes for this session (\(clientError!.description))")
                }
                if !(await file.isUnchanged()) {
                    throw ClientError.fileChanged("\(file.path) changed while it was being uploaded")
                }
                if let clientError, clientError.isServerAway {
                    // Rounds of the shared wait, not this part's attempts: an outage is ridden out for the patience.
                    try wait.failed(clientError)
                    let delay = wait.current?.nextIn ?? 0
                    uploader.report(.partRetry(index: index, groupId: groupId, sessionId: session.id, partNumber: number,
                                               attempt: tries, reason: clientError.description, delay: delay))
                    continue
                }
                wait.answered()
                attempt += 1
                if clientError?.status == 403 { await urls.invalidate(number) }
                let retryable = clientError == nil || clientError!.isTransient || clientError!.status == 403
                    || clientError!.code == "checksumMismatch" || clientError!.status == 400
                guard retryable, attempt < policy.maxAttempts else {
                    throw ClientError.server(
                        status: clientError?.status ?? 0, code: clientError?.code ?? "partFailed",
                        message: "part \(number) failed \(attempt) time(s): \(clientError?.description ?? "\(error)")")
                }
                let delay = policy.delay(after: attempt)
                if clientError?.status == 429 || clientError?.status == 503 { await uploader.limiter.pause(delay) }
                uploader.report(.partRetry(index: index, groupId: groupId, sessionId: session.id, partNumber: number,
                                           attempt: tries, reason: clientError?.description ?? "\(error)", delay: delay))
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    /// The CRC-32C of each part this sender read, by part number.
    var sentChecksums: [Int: UInt32] { sent.withLock { $0 } }

    /// What a part PUT answered.
    private struct PutAnswer: Sendable {
        /// The part's ETag.
        var etag: String
        /// Whether the store already recorded the part (the embedded store does and says so; an S3
        /// PUT leaves that to `partsUploaded`).
        var recorded: Bool
        /// The session, when the PUT completed it (a single PUT to the embedded store).
        var settled: UploadSession?
    }

    /// One PUT of one part from its bytes in memory. The embedded store gets
    /// `x-amz-checksum-crc32c` and checks it as the bytes arrive; a presigned S3 URL gets no
    /// checksum header it did not sign (S3 computes its own ETag), except `Content-MD5` when asked.
    private func put(_ part: PlannedPart, url: String, bytes: ByteBuffer, digest: PartDigest) async throws -> PutAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        if let md5 = digest.md5 { request.headers.add(name: "Content-MD5", value: md5) }
        if !Self.isPresignedS3(url) { request.headers.add(name: "x-amz-checksum-crc32c", value: digest.crc32cBase64) }
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        let tracker = uploader.tracker
        let index = self.index
        let slices = PartBody(bytes: bytes) { sent in
            tracker.sending(index, part: part.partNumber, bytes: sent)
        }
        request.body = .stream(slices, length: .known(part.size))
        let seconds = 60 + part.size / (1 << 20)
        let (status, body, headers) = try await execute(request, timeout: .seconds(seconds))
        guard status == 200 else { throw ControllerClient.error(status: status, body: body) }
        guard let etag = headers["ETag"].first ?? headers["Etag"].first else {
            throw ClientError.protocolError("storage answered part \(part.partNumber) without an ETag")
        }
        let answer = try? UploadJSON.decoder().decode(ControllerResponse.PartRecorded.self, from: body)
        let recorded = answer.map { $0.part.status == .uploaded && EntityTag.same($0.part.etag, etag) && $0.part.sessionId == session.id } ?? false
        let settled = answer?.session.flatMap { session -> UploadSession? in
            guard recorded, session.id == self.session.id else { return nil }
            return [.uploaded, .processing, .completed].contains(session.status) ? session : nil
        }
        return PutAnswer(etag: etag, recorded: recorded, settled: settled)
    }

    /// Whether `url` is an S3 presigned URL (SigV4 query signing) rather than the embedded store's.
    static func isPresignedS3(_ url: String) -> Bool {
        url.contains("X-Amz-Signature=") || url.contains("x-amz-signature=")
    }

    private func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> (Int, Data, HTTPHeaders) {
        do {
            let response = try await uploader.client.http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(body.readableBytesView), response.headers)
        } catch let error as ClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ClientError.unreachable("sending a part failed: \(ControllerClient.describe(error))")
        }
    }
}
