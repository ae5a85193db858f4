import Crypto
import Foundation
import TestSupport
import Testing
import UploadClient
import UploadModel
import UploadServer
import UploadStore

/// The uploader against a real server: sizes at the edges, directories, resume, operator actions.
@Suite struct UploaderTests {
    let mib = Int(PartPlanner.mebibyte)

    @Test func sizesAtTheEdgesArriveIntact() async throws {
        let server = try await ClientTestServer()
        let files = try await [
            server.file("empty", size: 0), server.file("one", size: 1, seed: 2),
            server.file("threshold", size: 8 * mib, seed: 3), server.file("short-last", size: 17 * mib + 5, seed: 4),
            server.file("dir/nested.bin", size: 300_000, seed: 5),
        ]
        let log = EventLog()
        let uploader = Uploader(client: server.client, options: UploadOptions(groupName: "edges", partSize: 5 * Int64(mib)), report: log.add)
        let outcome = try await uploader.run(files)
        #expect(outcome.succeeded, "\(outcome.files.map { "\($0.name): \($0.state) \($0.reason ?? "")" })")
        for (file, result) in zip(files, outcome.files) {
            let source = try Data(contentsOf: URL(fileURLWithPath: file.path))
            #expect(try await server.stored(result.sessionId!) == source, "\(file.uploadName)")
        }
        let group = try #require(try await server.store.reader.group(outcome.groupId))
        #expect(group.name == "edges" && group.completedFiles == 5 && group.status == .completed)
        let sessions = try await server.store.reader.sessions(SessionQuery(groupId: outcome.groupId))
        #expect(Set(sessions.map(\.fileName)) == Set(files.map(\.uploadName)))
        #expect(sessions.first { $0.fileName == "threshold" }?.method == .multipart)
        #expect(sessions.first { $0.fileName == "short-last" }?.totalParts == 4)
        #expect(sessions.allSatisfy { $0.fingerprint?.hasPrefix("size=") == true })
        await server.finish()
    }

    @Test func resumeSendsOnlyWhatIsMissing() async throws {
        let server = try await ClientTestServer()
        let file = try await server.file("big.bin", size: 30 * mib, seed: 7)
        let firstLog = EventLog()
        let first = Uploader(client: server.client, options: UploadOptions(groupName: "g", partSize: 5 * Int64(mib), concurrency: 1), report: firstLog.add)
        let run = Task { try await first.run([file]) }
        while firstLog.partsUploaded.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        let interrupted = try await run.value
        #expect(interrupted.files[0].state == .cancelled)
        let sessionId = try #require(interrupted.files[0].sessionId)
        let before = try await server.store.reader.parts(sessionId: sessionId).filter { $0.status == .uploaded }.map(\.partNumber)
        #expect(before.count >= 2 && before.count < 6)

        let secondLog = EventLog()
        let again = Uploader(client: server.client, options: UploadOptions(groupName: "g", resumeId: interrupted.groupId), report: secondLog.add)
        let outcome = try await again.run([try LocalFile(path: file.path, uploadName: "big.bin")])
        #expect(outcome.succeeded)
        #expect(Set(secondLog.partsUploaded).isDisjoint(with: before))
        #expect(Set(secondLog.partsUploaded).union(before) == Set(1...6))
        #expect(try await server.stored(sessionId) == Data(contentsOf: URL(fileURLWithPath: file.path)))
        let parts = try await server.store.reader.parts(sessionId: sessionId)
        #expect(parts.filter { before.contains($0.partNumber) }.allSatisfy { $0.attempts == 1 })
        await server.finish()
    }

    @Test func aChangedFileIsNotResumed() async throws {
        let server = try await ClientTestServer()
        let file = try await server.file("c.bin", size: 12 * mib, seed: 8)
        let log = EventLog()
        let first = Uploader(client: server.client, options: UploadOptions(groupName: "g", partSize: 5 * Int64(mib), concurrency: 1), report: log.add)
        let run = Task { try await first.run([file]) }
        while log.partsUploaded.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        let interrupted = try await run.value
        // Same size, different bytes and time: the resume must refuse it.
        _ = try await server.file("c.bin", size: 12 * mib, seed: 9)
        let again = Uploader(client: server.client, options: UploadOptions(groupName: "g", resumeId: interrupted.groupId))
        let outcome = try await again.run([try LocalFile(path: file.path, uploadName: "c.bin")])
        #expect(outcome.files[0].state == .failed)
        #expect(outcome.files[0].reason?.contains("not resuming") == true)
        await server.finish()
    }

    @Test func anOperatorCancelStopsTheFile() async throws {
        let server = try await ClientTestServer()
        let file = try await server.file("slow.bin", size: 60 * mib, seed: 10)
        let log = EventLog()
        let client = server.client
        let uploader = Uploader(client: client, options: UploadOptions(groupName: "g", partSize: 5 * Int64(mib), concurrency: 1)) { event in
            log.add(event)
            if case .partUploaded(_, _, let sessionId, 1, _, _) = event {
                Task { _ = try? await client.cancel(sessionId: sessionId, reason: "operator says stop") }
            }
        }
        let outcome = try await uploader.run([file])
        #expect(outcome.files[0].state == .cancelled)
        #expect(log.partsUploaded.count < 12)
        #expect(try await server.store.reader.session(outcome.files[0].sessionId!)?.status == .cancelled)
        await server.finish()
    }

    @Test func aPartAnOperatorRetriesIsSentAgain() async throws {
        let server = try await ClientTestServer()
        let file = try await server.file("r.bin", size: 60 * mib, seed: 11)
        let client = server.client
        let log = EventLog()
        let uploader = Uploader(client: client, options: UploadOptions(groupName: "g", partSize: 5 * Int64(mib), concurrency: 1)) { event in
            log.add(event)
            if case .partUploaded(_, _, let sessionId, 1, _, _) = event, log.partsUploaded.filter({ $0 == 1 }).count == 1 {
                Task { _ = try? await client.retry(ControllerRequest.Target(sessionId: sessionId, partNumbers: [1])) }
            }
        }
        let outcome = try await uploader.run([file])
        #expect(outcome.succeeded)
        #expect(log.partsUploaded.filter { $0 == 1 }.count == 2)
        let part = try #require(try await server.store.reader.parts(sessionId: outcome.files[0].sessionId!).first)
        #expect(part.attempts == 2)
        #expect(try await server.stored(outcome.files[0].sessionId!) == Data(contentsOf: URL(fileURLWithPath: file.path)))
        await server.finish()
    }

    /// A file deleted after it was planned is reported as such, not lost and not retried forever.
    @Test func aFileThatVanishesIsReported() async throws {
        let server = try await ClientTestServer()
        let kept = try await server.file("kept.txt", size: 10, seed: 1)
        let gone = try await server.file("gone.txt", size: 10, seed: 2)
        try FileManager.default.removeItem(atPath: gone.path)
        let outcome = try await Uploader(client: server.client, options: UploadOptions(groupName: "g")).run([kept, gone])
        #expect(outcome.files[0].state == .completed)
        #expect(outcome.files[1].state == .failed && outcome.files[1].reason == "\(gone.path): it no longer exists")
        #expect(!outcome.files[1].resumable)
        await server.finish()
    }

    @Test func userErrorsAreOneLine() async throws {
        let server = try await ClientTestServer()
        let bad = ControllerClient(server: server.url, token: "wrong", timeout: .seconds(Patience.requestSeconds))
        do {
            _ = try await bad.createGroup(name: "x")
            Issue.record("a bad token was accepted")
        } catch let error as ClientError {
            #expect(error.status == 401)
            #expect(error.description.contains("token"))
        }
        let nowhere = ControllerClient(server: URL(string: "http://127.0.0.1:9")!, token: "t", retry: RetryPolicy(maxAttempts: 1),
                                       wait: ServerWait(patience: .zero))
        do {
            _ = try await nowhere.createGroup(name: "x")
            Issue.record("an unreachable server answered")
        } catch let error as ClientError {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("cannot reach"))
            #expect(error.isConnectionRefused)
        }
        #expect(throws: ClientError.self) { _ = try LocalFile(path: "/nonexistent/file", uploadName: "f") }
        #expect(throws: ClientError.self) { _ = try LocalFile(path: "/tmp", uploadName: "f") }
        await server.finish()
    }
}

/// Controller calls ride out a server that is restarting: a refused connection is tried again,
/// and the call arrives once.
@Suite struct ControllerRetryTests {
    @Test func aCallWaitsForAServerThatIsStillStarting() async throws {
        let port = try freeLoopbackPort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-retry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let token = try TokenIssuer.create(in: UploadStore(path: folder.appendingPathComponent("upman.db").path), userId: "alice", admin: false)
        let client = ControllerClient(server: URL(string: "http://127.0.0.1:\(port)")!, token: token, timeout: .seconds(Patience.requestSeconds),
                                      wait: ServerWait(patience: .seconds(120), backoff: RetryPolicy(baseDelay: 0.2, maxDelay: 1)))
        // createGroup is not repeatable: only a refused connection lets it be sent again.
        let call = Task { try await client.createGroup(name: "early") }
        try await Task.sleep(for: .seconds(1.5))
        let server = try await ClientTestServer(folder: folder) { $0.port = port }
        let group = try await call.value
        #expect(group.name == "early" && group.userId == "alice")
        #expect(try await server.store.reader.groupCount() == 1)
        await server.finish()
    }
}

/// The uploader survives a storage that fails some PUTs, and takes any file name.
@Suite struct UploaderResilienceTests {
    let mib = Int(PartPlanner.mebibyte)

    @Test func aFlakyStoreIsSurvivedByRetries() async throws {
        let seen = AttemptCounter()
        let faults = PartFaults { sessionId, part, received in
            let attempt = received == 0 ? seen.next("\(sessionId):\(part)") : seen.current("\(sessionId):\(part)")
            guard attempt == 1 else { return nil }
            if part % 3 == 0 && received == 0 { return UploadError(.storageError, "injected: storage busy") }
            if part == 2 && received == 0 { return UploadError(.forbidden, "injected: signature expired") }
            if part % 3 == 1 && received >= 1 << 20 { return UploadError(.storageError, "injected: broke off mid-part") }
            return nil
        }
        let server = try await ClientTestServer(faults: faults)
        let file = try await server.file("flaky.bin", size: 31 * mib + 7, seed: 21)
        let log = EventLog()
        let retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.2)
        let uploader = Uploader(client: server.client, options: UploadOptions(groupName: "g", partSize: 5 * Int64(mib), retry: retry), report: log.add)
        let outcome = try await uploader.run([file])
        #expect(outcome.succeeded, "\(outcome.files.map { $0.reason ?? "" })")
        let retries = log.all.filter { if case .partRetry = $0 { return true } else { return false } }.count
        #expect(retries >= 5)
        let reasons = log.all.compactMap { event -> String? in
            if case .partRetry(_, _, _, _, _, let reason, _) = event { return reason } else { return nil }
        }
        #expect(reasons.contains { $0.contains("signature expired") })
        #expect(reasons.contains { $0.contains("storage busy") })
        #expect(try await server.stored(outcome.files[0].sessionId!) == Data(contentsOf: URL(fileURLWithPath: file.path)))
        let parts = try await server.store.reader.parts(sessionId: outcome.files[0].sessionId!)
        #expect(parts.allSatisfy { $0.status == .uploaded })
        #expect(parts.filter { $0.partNumber % 3 == 1 }.allSatisfy { $0.attempts == 2 })
        await server.finish()
    }

    @Test func twoHundredSmallFilesAndOddNames() async throws {
        let server = try await ClientTestServer()
        var files: [LocalFile] = []
        for index in 0..<200 {
            files.append(try await server.file("many/f\(index).txt", size: 1000 + index * 13, seed: UInt64(index)))
        }
        files.append(try await server.file("many/my file é 写真 (1).txt", size: 4321, seed: 999))
        let outcome = try await Uploader(client: server.client, options: UploadOptions(groupName: "many")).run(files)
        #expect(outcome.succeeded)
        #expect(outcome.files.count == 201)
        for (file, result) in zip(files, outcome.files) {
            #expect(try await server.stored(result.sessionId!) == Data(contentsOf: URL(fileURLWithPath: file.path)), "\(file.uploadName)")
        }
        let odd = try #require(try await server.store.reader.session(outcome.files[200].sessionId!))
        #expect(odd.fileName == "many/my file é 写真 (1).txt")
        #expect(try await server.store.reader.group(outcome.groupId)?.completedFiles == 201)
        await server.finish()
    }
}

/// Counts attempts per key from the server's fault hook.
final class AttemptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func next(_ key: String) -> Int { lock.withLock { counts[key, default: 0] += 1; return counts[key]! } }
    func current(_ key: String) -> Int { lock.withLock { counts[key, default: 0] } }
}
