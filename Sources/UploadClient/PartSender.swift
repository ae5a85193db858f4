import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UploadModel

/// Sends the parts of one file: in parallel under the uploader's limit, each streamed from the
/// file with its Content-MD5, retried with backoff, with fresh URLs when old ones expire. The file
/// is open only while a part holds one of the limiter's slots, so open files never outnumber the
/// parts in flight; a server that is away is waited for through the client's ``ServerWait``.
/// Where the storage's answer does not record a part (S3), finished parts are reported to the
/// controller in batches through one ``PartReporter`` per session.
final class PartSender: Sendable {
    let uploader: Uploader
    let index: Int
    let file: LocalFile
    let session: UploadSession
    let plan: PartPlan
    let groupId: String
    private let urls: URLCache
    private let reporter: PartReporter

    init(uploader: Uploader, index: Int, file: LocalFile, session: UploadSession, plan: PartPlan, groupId: String,
         urls: [Int: ControllerResponse.SignedPart]) {
        self.uploader = uploader
        self.index = index
        self.file = file
        self.session = session
        self.plan = plan
        self.groupId = groupId
        self.urls = URLCache(client: uploader.client, sessionId: session.id, totalParts: plan.totalParts, seed: urls)
        self.reporter = PartReporter(client: uploader.client, sessionId: session.id)
    }

    /// Sends every part not in `done`, then any an operator reopened meanwhile. Throws the first
    /// part's final failure, or `cancelled` as soon as the session is cancelled.
    func sendAll(except done: Set<Int>) async throws {
        var pending = (1...plan.totalParts).filter { !done.contains($0) }
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
        var md5: String?
        var attempt = 0
        var tries = 0
        while true {
            tries += 1
            try await wait.ready()
            await uploader.limiter.acquire()
            let result: Result<(etag: String, recorded: Bool), any Error>
            do {
                let url = try await urls.url(for: number)
                result = .success(try await file.withReader { reader in
                    if md5 == nil { md5 = Data(try await reader.md5(offset: part.offset, length: part.size)).base64EncodedString() }
                    return try await put(part, url: url, md5: md5!, reader: reader)
                })
            } catch {
                result = .failure(error)
            }
            await uploader.limiter.release()
            switch result {
            case .success(let (etag, recorded)):
                wait.answered()
                if !recorded {
                    try await reporter.report(ControllerRequest.ReportedPart(partNumber: number, etag: etag, size: part.size))
                }
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

    /// One PUT of one part, streamed from the open file; returns the ETag, and whether the store
    /// already recorded the part (the embedded store does and says so; an S3 PUT leaves that to
    /// `partsUploaded`).
    private func put(_ part: PlannedPart, url: String, md5: String, reader: LocalFileReader) async throws -> (etag: String, recorded: Bool) {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-MD5", value: md5)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        let tracker = uploader.tracker
        let index = self.index
        let chunks = FileChunks(reader: reader, offset: part.offset, length: part.size, chunkSize: 256 << 10) { sent in
            tracker.sending(index, part: part.partNumber, bytes: sent)
        }
        request.body = .stream(chunks, length: .known(part.size))
        let seconds = 60 + part.size / (1 << 20)
        let (status, body, headers) = try await execute(request, timeout: .seconds(seconds))
        guard status == 200 else { throw ControllerClient.error(status: status, body: body) }
        guard let etag = headers["ETag"].first ?? headers["Etag"].first else {
            throw ClientError.protocolError("storage answered part \(part.partNumber) without an ETag")
        }
        let recorded = (try? UploadJSON.decoder().decode(ControllerResponse.PartRecorded.self, from: body))
            .map { $0.part.status == .uploaded && EntityTag.same($0.part.etag, etag) && $0.part.sessionId == session.id } ?? false
        return (etag, recorded)
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
