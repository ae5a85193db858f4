import TestSupport
import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// The SSE feed: order, replay with Last-Event-ID, reset, filter, user scoping, heartbeats.
@Suite struct EventStreamTests {
    func reader(_ server: TestServer, token: String? = nil, query: String = "", lastEventId: Int64? = nil) -> SSEReader {
        reader(server, token: token, query: query, rawLastEventId: lastEventId.map { String($0) })
    }

    func reader(_ server: TestServer, token: String? = nil, query: String = "", rawLastEventId: String?) -> SSEReader {
        var headers = [("Authorization", "Bearer \(token ?? server.adminToken)")]
        if let rawLastEventId { headers.append(("Last-Event-ID", rawLastEventId)) }
        return SSEReader(url: server.base + "/api/v1/events" + query, headers: headers)
    }

    @Test func liveEventsArriveInOrderWithLogIds() async throws {
        let server = try await TestServer.start()
        let live = reader(server)
        await live.waitUntilConnected()
        let id = try await server.upload(randomBytes(50), name: "a")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let latest = try await server.store.reader.latestEventId()
        #expect(await live.wait { $0.last?.id == latest })
        let frames = live.received
        let ids = frames.compactMap(\.id)
        #expect(ids == Array(1...latest))
        let logged = try await server.store.reader.events(after: 0)
        #expect(frames.map(\.event) == logged.map(\.kind.rawValue))
        #expect(frames.map(\.data) == logged.map(\.data))
        let last = try #require(frames.last(where: { $0.event == "session" }))
        let session = try UploadJSON.decoder().decode(UploadSession.self, from: Data(last.data.utf8))
        #expect(session.status == .completed)
        live.close()
        await server.finish()
    }

    @Test func replayFromLastEventIdThenLive() async throws {
        let server = try await TestServer.start()
        let first = try await server.upload(randomBytes(5), name: "first")
        try await server.waitFor("first COMPLETED") { try await server.store.reader.session(first)?.status == .completed }
        let middle = try await server.store.reader.latestEventId()
        let second = try await server.upload(randomBytes(5), name: "second")
        try await server.waitFor("second COMPLETED") { try await server.store.reader.session(second)?.status == .completed }
        let catching = reader(server, lastEventId: middle)
        let latest = try await server.store.reader.latestEventId()
        #expect(await catching.wait { $0.last?.id == latest })
        #expect(catching.received.first?.id == middle + 1)
        _ = try await server.ok("createGroup", ["name": "later"])
        #expect(await catching.wait { $0.last?.event == "group" && ($0.last?.id ?? 0) > latest })
        let ids = catching.received.compactMap(\.id)
        #expect(ids == Array((middle + 1)...ids.last!))
        catching.close()
        await server.finish()
    }

    @Test func resetWhenTheLogNoLongerReachesBack() async throws {
        let server = try await TestServer.start()
        for index in 0..<5 { _ = try await server.ok("createGroup", ["name": "g\(index)"]) }
        try await server.store.transaction(actedBy: "test") { tx in try tx.eventLog.prune(keepingLast: 2) }
        let stale = reader(server, lastEventId: 1)
        #expect(await stale.wait { !$0.isEmpty })
        #expect(stale.received.first?.event == "reset")
        #expect(stale.received.first?.data.contains("\"latestId\":5") == true)
        _ = try await server.ok("createGroup", ["name": "after"])
        #expect(await stale.wait { $0.last?.id == 6 })
        stale.close()
        await server.finish()
    }

    /// A `Last-Event-ID` the log never issued (a client kept it across a database reset, or it is
    /// not an event id at all) gets `reset` with the latest id, then live events: on the whole
    /// feed, a group's and a user's alike.
    @Test func anIdTheLogNeverIssuedGetsResetThenLive() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let group = (try await server.ok("createGroup", ["name": "a"], token: alice)["group"] as! [String: Any])["id"] as! String
        for index in 0..<2 { _ = try await server.ok("createGroup", ["name": "before\(index)"]) }
        let latest = try await server.store.reader.latestEventId()
        #expect(latest == 3)
        let feeds = [
            reader(server, rawLastEventId: "100000"),
            reader(server, query: "?groupId=\(group)", rawLastEventId: "100000"),
            reader(server, token: alice, rawLastEventId: "100000"),
            reader(server, rawLastEventId: "not-an-id"),
            reader(server, rawLastEventId: "-1"),
            reader(server, rawLastEventId: "99999999999999999999999"),
            reader(server, query: "?lastEventId=100000", rawLastEventId: nil),
        ]
        for feed in feeds {
            #expect(await feed.wait(seconds: 60) { !$0.isEmpty })
            #expect(feed.responseStatus == 200)
            let reset = try #require(feed.received.first)
            #expect(reset.event == "reset" && reset.id == latest, "\(reset)")
            #expect(reset.data.contains("\"latestId\":\(latest)") && reset.data.contains("unknown event id"), "\(reset.data)")
        }
        // Live events after the reset, each feed as its filter and token allow.
        let other = (try await server.ok("createGroup", ["name": "after"])["group"] as! [String: Any])["id"] as! String
        let mine = try await server.upload(randomBytes(5), name: "a1", groupId: group, token: alice)
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(mine)?.status == .completed }
        let logged = try await server.store.reader.events(after: latest, limit: 10_000)
        let ofGroup = logged.filter { $0.groupId == group }.map(\.id)
        #expect(logged.contains { $0.groupId == other } && !ofGroup.isEmpty)
        for (index, feed) in feeds.enumerated() {
            let want = index == 1 || index == 2 ? ofGroup : logged.map(\.id)
            #expect(await feed.wait(seconds: 60) { Array($0.dropFirst()).compactMap(\.id) == want }, "feed \(index): \(feed.received.compactMap(\.id))")
        }
        for feed in feeds { feed.close() }
        await server.finish()
    }

    @Test func groupFilterAndUserScoping() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let bob = try server.userToken("bob")
        let aliceGroup = (try await server.ok("createGroup", ["name": "a"], token: alice)["group"] as! [String: Any])["id"] as! String
        let bobGroup = (try await server.ok("createGroup", ["name": "b"], token: bob)["group"] as! [String: Any])["id"] as! String
        let bobsFeed = reader(server, token: bob, lastEventId: 0)
        let filtered = reader(server, query: "?groupId=\(aliceGroup)", lastEventId: 0)
        let everything = reader(server, lastEventId: 0)
        for feed in [bobsFeed, filtered, everything] { await feed.waitUntilConnected() }
        let a1 = try await server.upload(randomBytes(5), name: "a1", groupId: aliceGroup, token: alice)
        let b1 = try await server.upload(randomBytes(5), name: "b1", groupId: bobGroup, token: bob)
        try await server.waitFor("both COMPLETED") {
            let first = try await server.store.reader.session(a1)?.status
            let second = try await server.store.reader.session(b1)?.status
            return first == .completed && second == .completed
        }
        let latest = try await server.store.reader.latestEventId()
        #expect(await everything.wait { $0.last?.id == latest })
        let logged = try await server.store.reader.events(after: 0, limit: 10_000)
        let ofBob = logged.filter { $0.userId == "bob" }.map(\.id)
        let ofAliceGroup = logged.filter { $0.groupId == aliceGroup }.map(\.id)
        #expect(await bobsFeed.wait { $0.compactMap(\.id) == ofBob })
        #expect(await filtered.wait { $0.compactMap(\.id) == ofAliceGroup })
        #expect(!ofBob.isEmpty && !ofAliceGroup.isEmpty)
        let foreign = reader(server, token: bob, query: "?groupId=\(aliceGroup)")
        _ = await Patience.wait(progress: { 0 }, until: { foreign.responseStatus != nil })
        #expect(foreign.responseStatus == 404)
        for feed in [bobsFeed, filtered, everything, foreign] { feed.close() }
        await server.finish()
    }

    @Test func heartbeatsAndDisconnectsAreReleased() async throws {
        let server = try await TestServer.start { $0.heartbeatInterval = 0.1 }
        let feed = reader(server)
        _ = await Patience.wait(progress: { feed.commentCount }, until: { feed.commentCount >= 4 })
        #expect(feed.commentCount >= 4)
        #expect(server.server.hub.subscriberCount == 1)
        feed.close()
        try await server.waitFor("subscriber released") { server.server.hub.subscriberCount == 0 }
        await server.finish()
    }

    @Test func aSlowSubscriberIsDroppedNotWaitedFor() async throws {
        let hub = EventHub(heartbeat: .seconds(60), bufferSize: 4)
        let slow = hub.subscribe()
        let fast = hub.subscribe()
        let event = UploadEvent(id: 1, kind: .group, entityId: "g", groupId: "g", userId: "u", data: "{}", createdAt: Date())
        for _ in 0..<10 { hub.publish([event]) }
        #expect(hub.subscriberCount == 0 || hub.subscriberCount == 1)
        var received = 0
        while let items = await slow.mailbox.next() { received += items.count }
        #expect(received == 4)
        _ = fast
        hub.close()
    }
}
