import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// A session whose bytes are arriving is not idle: the sweeper never expires it, however long
/// ago its activity was recorded; its activity is recorded again while the bytes flow; `complete`
/// waits for a part still arriving; and a completing session is not expired either.
///
/// The sweeps run with a `now` far past the TTL instead of waiting for it, so nothing here
/// depends on how fast the machine is.
@Suite struct SlowTransferTests {
    let mib = Int(PartPlanner.mebibyte)

    /// A PUT whose body the test sends chunk by chunk.
    final class StreamingPut: Sendable {
        let chunks: AsyncStream<ByteBuffer>.Continuation
        let reply: Task<Int, any Error>

        init(url: String, length: Int) {
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
            chunks = continuation
            reply = Task {
                var request = HTTPClientRequest(url: url)
                request.method = .PUT
                request.body = .stream(stream, length: .known(Int64(length)))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                _ = try await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
        }

        func send(_ bytes: Data) { chunks.yield(ByteBuffer(bytes: bytes)) }

        func end() async throws -> Int {
            chunks.finish()
            return try await reply.value
        }
    }

    /// A server whose own sweeper stays out of the way; the test sweeps when it chooses.
    func start(ttl: TimeInterval) async throws -> TestServer {
        try await TestServer.start { config in
            config.sessionTTL = ttl
            config.sweepInterval = 3600
        }
    }

    /// A sweep as if the TTL had passed many times over.
    func sweepLongAfter(_ server: TestServer) async throws -> [UploadSession] {
        try await server.server.sweeper.sweep(now: Date().addingTimeInterval(server.server.configuration.sessionTTL * 100 + 3600))
    }

    @Test func aSinglePutStillArrivingIsNeverExpiredAndCompleteWaitsForIt() async throws {
        let server = try await start(ttl: 3)
        let bytes = randomBytes(1 * mib, seed: 61)
        let initiated = try await server.ok("initiate", ["fileName": "slow.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let put = StreamingPut(url: initiated["url"] as! String, length: bytes.count)
        put.send(bytes.subdata(in: 0..<(64 << 10)))
        try await server.waitFor("the part is arriving") { try await server.store.reader.parts(sessionId: id).first?.status == .uploading }

        #expect(try await sweepLongAfter(server).isEmpty)
        #expect(try await server.store.reader.session(id)?.status == .uploading)
        let racing = try await server.call("complete", ["sessionId": id])
        #expect(racing.status == 409 && racing.errorCode == "conflict", "\(racing.text)")

        put.send(bytes.subdata(in: (64 << 10)..<bytes.count))
        #expect(try await put.end() == 200)
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        await server.finish()
    }

    @Test func aPartStillArrivingKeepsItsMultipartSessionAlive() async throws {
        let server = try await start(ttl: 3)
        let bytes = randomBytes(10 * mib, seed: 62)
        let initiated = try await server.ok("initiate", ["fileName": "parts.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let signed = try await server.ok("signParts", ["sessionId": id, "partNumbers": [1, 2]])
        let urls = (signed["parts"] as! [[String: Any]]).map { $0["url"] as! String }
        #expect(try await server.put(urls[1], bytes.subdata(in: (8 * mib)..<bytes.count)).status == 200)
        let put = StreamingPut(url: urls[0], length: 8 * mib)
        put.send(bytes.subdata(in: 0..<mib))
        try await server.waitFor("part 1 is arriving") {
            try await server.store.reader.parts(sessionId: id).first { $0.partNumber == 1 }?.status == .uploading
        }
        #expect(try await sweepLongAfter(server).isEmpty)
        put.send(bytes.subdata(in: mib..<(8 * mib)))
        #expect(try await put.end() == 200)
        _ = try await server.ok("complete", ["sessionId": id])
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        await server.finish()
    }

    @Test func activityIsRecordedWhileBytesFlow() async throws {
        let server = try await start(ttl: 0.4)
        let refresh = ActivityRefresh(sessionTTL: 0.4)
        let bytes = randomBytes(256 << 10, seed: 63)
        let initiated = try await server.ok("initiate", ["fileName": "slow.bin", "size": bytes.count])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let put = StreamingPut(url: initiated["url"] as! String, length: bytes.count)
        put.send(bytes.subdata(in: 0..<(64 << 10)))
        try await server.waitFor("the part is arriving") { try await server.store.reader.parts(sessionId: id).first?.status == .uploading }
        let first = try #require(try await server.store.reader.session(id)).lastActivityAt
        // More bytes (but not the last) once a refresh interval has passed since the activity was recorded.
        for chunk in 1..<3 {
            while Date().timeIntervalSince(first) <= refresh.interval * Double(chunk) { try await Task.sleep(for: .milliseconds(20)) }
            put.send(bytes.subdata(in: (chunk * (64 << 10))..<((chunk + 1) * (64 << 10))))
        }
        try await server.waitFor("activity recorded again") { try await server.store.reader.session(id)!.lastActivityAt > first }
        #expect(try await server.store.reader.parts(sessionId: id).first?.status == .uploading, "recorded while the bytes flow")
        put.send(bytes.subdata(in: (3 * (64 << 10))..<bytes.count))
        #expect(try await put.end() == 200)
        await server.finish()
    }

    /// The marks alone: busy sessions are not claimed for expiry, and a claimed one refuses
    /// transfers and completions until the sweep releases it.
    @Test func busySessionsAreNotClaimedAndClaimedOnesRefuse() {
        let tracker = TransferTracker()
        #expect(throws: Never.self) { try tracker.beginTransfer("a") }
        #expect(throws: Never.self) { try tracker.beginCompleting("b") }
        #expect(tracker.isBusy("a") && tracker.isBusy("b") && !tracker.isBusy("c"))
        #expect(throws: UploadError.self) { try tracker.beginCompleting("a") }
        #expect(throws: UploadError.self) { try tracker.beginTransfer("b") }
        let claimed = tracker.claimForExpiry(["a", "b", "c"])
        #expect(claimed == ["c"])
        #expect(throws: UploadError.self) { try tracker.beginTransfer("c") }
        #expect(throws: UploadError.self) { try tracker.beginCompleting("c") }
        #expect(!tracker.isBusy("c"))
        tracker.releaseExpiry(claimed)
        tracker.endTransfer("a")
        tracker.endCompleting("b")
        #expect(!tracker.isBusy("a") && !tracker.isBusy("b"))
        #expect(throws: Never.self) { try tracker.beginTransfer("c") }
        #expect(throws: Never.self) { try tracker.beginCompleting("a") }
    }

    @Test func aCompletingSessionIsNotExpired() async throws {
        let server = try await start(ttl: 3)
        let initiated = try await server.ok("initiate", ["fileName": "c.bin", "size": 10])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        try server.server.transfers.beginCompleting(id)
        #expect(try await sweepLongAfter(server).isEmpty)
        // No part PUT starts while it completes.
        let late = try await server.put(initiated["url"] as! String, randomBytes(10))
        #expect(late.status == 409 && late.errorCode == "conflict", "\(late.text)")
        server.server.transfers.endCompleting(id)
        #expect(try await sweepLongAfter(server).map(\.id) == [id], "once nothing is under way, an idle session expires")
        await server.finish()
    }
}
