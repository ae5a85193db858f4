import Foundation
import Testing
import UploadClient
import UploadModel

/// The SSE client: replay from an id, typed changes, live events after the replay.
@Suite struct EventFeedTests {
    @Test func replaysThenFollows() async throws {
        let server = try await ClientTestServer()
        let client = server.client
        let first = try await client.createGroup(name: "one")
        _ = try await client.createGroup(name: "two")
        let feed = EventFeed(server: server.url, token: server.adminToken)
        var received: [UploadEvent] = []
        var connected = false
        let reader = Task {
            var events: [UploadEvent] = []
            for await item in feed.items(after: 0) {
                if case .event(let event) = item { events.append(event) }
                if events.count == 3 { break }
            }
            return events
        }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await client.createGroup(name: "three")
        received = await reader.value
        connected = !received.isEmpty
        #expect(connected)
        #expect(received.map(\.id) == [1, 2, 3])
        let names = received.compactMap { event -> String? in
            if case .group(let group) = try? event.change() { return group.name } else { return nil }
        }
        #expect(names == ["one", "two", "three"])
        #expect(received.first?.groupId == first.id)
        await server.finish()
    }
}

/// Reconnecting to a feed that drops at once: the server's `retry:` is the least pause and a
/// 200 that delivers nothing does not reset the backoff.
@Suite struct EventFeedReconnectTests {
    @Test func aFeedThatClosesAtOnceIsNotStormed() async throws {
        let server = try DroppingEventServer(retryMilliseconds: 200)
        defer { server.stop() }
        let feed = EventFeed(server: URL(string: "http://127.0.0.1:\(server.port)")!, token: "t")
        let backoff = ReconnectBackoff(baseDelay: 0.01, maxDelay: 30, stableAfter: 60)
        var pauses: [TimeInterval] = []
        var attempts: [Int] = []
        for await item in feed.items(backoff: backoff) {
            if case .reconnecting(let attempt, _, let after) = item {
                attempts.append(attempt)
                pauses.append(after)
                if attempts.count == 4 { break }
            }
        }
        #expect(attempts == [1, 2, 3, 4], "a 200 that closes at once must count as a failure")
        #expect(pauses.allSatisfy { $0 >= 0.2 }, "never sooner than the server's retry: \(pauses)")
        #expect(server.connections <= 4)
    }
}
