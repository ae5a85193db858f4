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
