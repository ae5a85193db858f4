import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Browser-safe auth: upload links may create uploads (into their group, within their bytes) and
/// watch them, nothing else; events tokens only read the feed, and only they are taken in a URL;
/// CORS answers only the origins it is told.
@Suite struct UploadLinkTests {
    func link(_ server: TestServer, user: String = "alice", group: String? = nil, expiresIn: TimeInterval = 3600, maxBytes: Int64? = nil) throws -> String {
        try TokenIssuer.createUploadLink(
            in: server.store, userId: user, groupName: group, expiresAt: Date().addingTimeInterval(expiresIn), maxBytes: maxBytes)
    }

    @Test func aLinkCreatesAndWatchesUploadsAndNothingElse() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let token = try link(server)
        let group = try await server.ok("createGroup", ["name": "drop"], token: token)
        let groupId = try #require((group["group"] as? [String: Any])?["id"] as? String)
        let initiated = try await server.ok("initiate", ["groupId": groupId, "fileName": "a.txt", "size": 5], token: token)
        let session = try #require(initiated["session"] as? [String: Any])
        #expect(session["userId"] as? String == "alice")
        let url = try #require(initiated["url"] as? String)
        let put = try await server.send(.PUT, url, body: Data("hello".utf8))
        #expect(put.status == 200)
        _ = try await server.ok("status", ["groupId": groupId], token: token)
        _ = try await server.ok("eventsToken", [:], token: token)
        // Not for links: delete, and anything of another user's.
        let delete = try await server.call("delete", ["groupId": groupId], token: token)
        #expect(delete.status == 403 && delete.errorCode == "forbidden")
        let bob = try server.userToken("bob")
        let bobs = try await server.ok("createGroup", ["name": "bob's"], token: bob)
        let bobGroup = try #require((bobs["group"] as? [String: Any])?["id"] as? String)
        let foreign = try await server.call("initiate", ["groupId": bobGroup, "fileName": "x", "size": 1], token: token)
        #expect(foreign.status == 404)
    }

    @Test func aLinkBoundToAGroupUploadsThereOnly() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let token = try link(server, group: "photos")
        let other = try await server.call("createGroup", ["name": "other"], token: token)
        #expect(other.status == 403 && other.errorCode == "forbidden")
        let loose = try await server.call("initiate", ["fileName": "a", "size": 1], token: token)
        #expect(loose.status == 403, "initiate without a group would make one of another name")
        let photos = try await server.ok("createGroup", ["name": "photos"], token: token)
        let groupId = try #require((photos["group"] as? [String: Any])?["id"] as? String)
        _ = try await server.ok("initiate", ["groupId": groupId, "files": [["fileName": "a.jpg", "size": 3]]], token: token)
    }

    /// A link bound to a group reaches its user's uploads in groups of that name only: another of
    /// the user's groups is not there for it (404), in the controller, on tus, and in the feed of an
    /// events token it made, live or replayed; that token ends with the link.
    @Test func aLinkBoundToAGroupSeesNothingOfItsUsersOtherGroups() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let alice = try server.userToken("alice")
        let privateGroup = try await server.ok("createGroup", ["name": "private"], token: alice)
        let privateId = try #require((privateGroup["group"] as? [String: Any])?["id"] as? String)
        let secret = try await server.ok("initiate", ["groupId": privateId, "fileName": "secret.txt", "size": 5], token: alice)
        let secretId = try #require((secret["session"] as? [String: Any])?["id"] as? String)
        let tus = TusTestClient(server, token: alice)
        let (_, tusId) = try await tus.create(length: 3, metadata: ["filename": "t.bin", "group": "private"])
        let privateTus = try #require(tusId)

        // Its expiry is sooner than an events token's ten minutes, and far enough for a loaded machine.
        let token = try link(server, group: "photos", expiresIn: 120)
        for (action, body) in [
            ("status", ["groupId": privateId]), ("status", ["sessionId": secretId]),
            ("signParts", ["sessionId": secretId, "partNumbers": [1]] as [String: Any]),
            ("cancel", ["sessionId": secretId]), ("cancel", ["groupId": privateId]), ("abort", ["sessionId": secretId]),
            ("retry", ["sessionId": secretId]), ("complete", ["sessionId": secretId]),
            ("initiate", ["groupId": privateId, "fileName": "x", "size": 1] as [String: Any]),
        ] as [(String, [String: Any])] {
            let reply = try await server.call(action, body, token: token)
            #expect(reply.status == 404 || reply.status == 403, "\(action) \(body): \(reply.status) \(reply.text)")
        }
        let linkTus = TusTestClient(server, token: token)
        #expect(try await linkTus.head(privateTus).status == 404)
        #expect(try await linkTus.patch(privateTus, offset: 0, Data("abc".utf8)).status == 404)
        #expect(try await server.send(.DELETE, "/files/\(privateTus)", headers: linkTus.headers).status == 404)
        #expect(try await server.store.reader.session(secretId)?.status == .pending, "nothing of the private group changed")

        // Its events token: neither the replay nor the live feed carries the private group.
        let photos = try await server.ok("createGroup", ["name": "photos"], token: token)
        let photosId = try #require((photos["group"] as? [String: Any])?["id"] as? String)
        let answer = try await server.ok("eventsToken", [:], token: token)
        let events = try #require(answer["token"] as? String)
        let expiresAt = try #require((answer["expiresAt"] as? String).flatMap(Timestamp.parse))
        #expect(expiresAt < Date().addingTimeInterval(121), "an events token ends with its link: \(expiresAt)")
        let reader = SSEReader(url: server.base + "/api/v1/events?access_token=\(events)", headers: [("Last-Event-ID", "0")])
        defer { reader.close() }
        await reader.waitUntilConnected()
        _ = try await server.ok("initiate", ["groupId": privateId, "fileName": "later-secret.txt", "size": 5], token: alice)
        _ = try await server.ok("initiate", ["groupId": photosId, "fileName": "beach.jpg", "size": 5], token: token)
        #expect(await reader.wait { frames in frames.contains { $0.data.contains("beach.jpg") } })
        let seen = reader.received.map(\.data).joined(separator: "\n")
        #expect(seen.contains(photosId))
        for hidden in [privateId, secretId, privateTus, "secret.txt", "later-secret.txt"] {
            #expect(!seen.contains(hidden), "the feed of a link's events token carries \(hidden)")
        }
    }

    @Test func aLinkKeepsToItsBytesAcrossCalls() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let token = try link(server, maxBytes: 100)
        let group = try await server.ok("createGroup", ["name": "g"], token: token)
        let groupId = try #require((group["group"] as? [String: Any])?["id"] as? String)
        _ = try await server.ok("initiate", ["groupId": groupId, "files": [["fileName": "a", "size": 60]]], token: token)
        let over = try await server.call("initiate", ["groupId": groupId, "fileName": "b", "size": 41], token: token)
        #expect(over.status == 403 && over.errorCode == "quotaExceeded")
        // Nothing was recorded for the refused file; what still fits goes through.
        _ = try await server.ok("initiate", ["groupId": groupId, "fileName": "c", "size": 40], token: token)
        let status = try await server.ok("status", ["groupId": groupId], token: token)
        #expect((status["sessions"] as? [Any])?.count == 2)
    }

    @Test func anExpiredLinkIsRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let token = try link(server, expiresIn: -1)
        let reply = try await server.call("createGroup", ["name": "late"], token: token)
        #expect(reply.status == 401 && reply.errorCode == "unauthorized" && reply.text.contains("expired"), "\(reply.text)")
    }

    @Test func eventsTokensReadTheFeedInAURLAndNothingElse() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let alice = try server.userToken("alice")
        let answer = try await server.ok("eventsToken", [:], token: alice)
        let events = try #require(answer["token"] as? String)
        #expect(answer["expiresAt"] is String)
        // It cannot call the controller.
        let call = try await server.call("status", [:], token: events)
        #expect(call.status == 403)
        // Only an events token is taken as access_token; a user's API token is not.
        let refused = try await server.send(.GET, "/api/v1/events?access_token=\(alice)")
        #expect(refused.status == 401)
        // The feed it opens carries alice's events, not bob's.
        let bob = try server.userToken("bob")
        let reader = SSEReader(url: server.base + "/api/v1/events?access_token=\(events)", headers: [])
        defer { reader.close() }
        await reader.waitUntilConnected()
        #expect(reader.responseStatus == 200)
        _ = try await server.ok("createGroup", ["name": "bob's"], token: bob)
        _ = try await server.ok("createGroup", ["name": "alice's"], token: alice)
        #expect(await reader.wait { frames in frames.contains { $0.data.contains("alice's") } })
        #expect(!reader.received.contains { $0.data.contains("bob's") })
    }

    @Test func corsAnswersOnlyTheOriginsItIsTold() async throws {
        let server = try await TestServer.start { $0.corsOrigins = ["https://app.example.com"] }
        defer { Task { await server.finish() } }
        let preflight = try await server.send(.OPTIONS, "/api/v1/controller", headers: [
            ("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization, content-type"),
        ])
        #expect(preflight.status == 204)
        #expect(preflight.headers["Access-Control-Allow-Origin"].first == "https://app.example.com")
        #expect(preflight.headers["Access-Control-Allow-Methods"].first?.contains("PUT") == true)
        #expect(preflight.headers["Access-Control-Allow-Credentials"].isEmpty)
        let other = try await server.send(.OPTIONS, "/api/v1/controller", headers: [
            ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
        ])
        #expect(other.headers["Access-Control-Allow-Origin"].isEmpty)
        let actual = try await server.send(.GET, "/healthz", headers: [("Origin", "https://app.example.com")])
        #expect(actual.headers["Access-Control-Allow-Origin"].first == "https://app.example.com")
        #expect(actual.headers["Access-Control-Expose-Headers"].first?.contains("ETag") == true)
        #expect(actual.headers["Vary"].contains { $0.contains("Origin") })

        let off = try await TestServer.start()
        defer { Task { await off.finish() } }
        let none = try await off.send(.GET, "/healthz", headers: [("Origin", "https://app.example.com")])
        #expect(none.headers["Access-Control-Allow-Origin"].isEmpty, "CORS is off by default")
    }

    @Test func thePageAndTheClientModuleAreServed() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        for path in ["/", "/upload"] {
            let page = try await server.send(.GET, path)
            #expect(page.status == 200 && page.text.contains("<title>upman: upload files</title>"))
            // Its part PUTs go to the address this server signs URLs for, whatever origin the page was opened at.
            let policy = page.headers["Content-Security-Policy"].first ?? ""
            #expect(policy.contains("connect-src 'self' http://127.0.0.1:\(server.port);"), "\(policy)")
        }
        let module = try await server.send(.GET, "/upman-client.js")
        #expect(module.status == 200 && module.text.contains("export function createUploader"))
        #expect(module.headers["Content-Type"].first?.hasPrefix("text/javascript") == true)
    }
}
