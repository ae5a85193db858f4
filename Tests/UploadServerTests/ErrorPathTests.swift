import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Every error a client can cause is a coded JSON error with a fitting status, never a 500, and
/// changes nothing.
@Suite struct ErrorPathTests {
    @Test func authentication() async throws {
        let server = try await TestServer.start()
        let none = try await server.send(.POST, "/api/v1/controller", body: Data("{}".utf8))
        #expect(none.status == 401 && none.errorCode == "unauthorized")
        #expect(none.headers["WWW-Authenticate"].first == "Bearer")
        let bad = try await server.call("status", ["groupId": "x"], token: "nope")
        #expect(bad.status == 401 && bad.errorCode == "unauthorized")
        let basic = try await server.send(.POST, "/api/v1/controller", headers: [("Authorization", "Basic abc")], body: Data("{}".utf8))
        #expect(basic.status == 401)
        let events = try await server.send(.GET, "/api/v1/events")
        #expect(events.status == 401)
        await server.finish()
    }

    @Test func malformedRequests() async throws {
        let server = try await TestServer.start()
        let auth = [("Authorization", "Bearer \(server.adminToken)")]
        let cases: [(String, String)] = [
            ("not json", "badRequest"),
            ("{}", "badRequest"),
            ("{\"action\":\"fly\"}", "badRequest"),
            ("{\"action\":\"initiate\",\"size\":5}", "badRequest"),
            ("{\"action\":\"initiate\",\"fileName\":\"a\",\"size\":\"big\"}", "badRequest"),
            ("{\"action\":\"initiate\",\"fileName\":\"a\",\"size\":-1}", "invalidArgument"),
            ("{\"action\":\"initiate\",\"fileName\":\"\",\"size\":1}", "badRequest"),
            ("{\"action\":\"initiate\",\"fileName\":\"a\",\"size\":1,\"sha256\":\"xyz\"}", "invalidArgument"),
            ("{\"action\":\"initiate\",\"fileName\":\"a\",\"size\":6000000000000}", "fileTooLarge"),
            ("{\"action\":\"initiate\",\"fileName\":\"a\",\"size\":100000000,\"partSize\":1000}", "invalidPartSize"),
            ("{\"action\":\"retry\"}", "badRequest"),
            ("{\"action\":\"cancel\",\"groupId\":\"a\",\"sessionId\":\"b\"}", "badRequest"),
            ("{\"action\":\"status\",\"groupId\":\"nope\"}", "notFound"),
            ("{\"action\":\"complete\",\"sessionId\":\"nope\"}", "notFound"),
            ("[1,2]", "badRequest"),
        ]
        let expectedStatus = ["badRequest": 400, "invalidArgument": 422, "fileTooLarge": 413, "invalidPartSize": 422, "notFound": 404]
        for (body, code) in cases {
            let reply = try await server.send(.POST, "/api/v1/controller", headers: auth, body: Data(body.utf8))
            #expect(reply.errorCode == code, "\(body) → \(reply.status) \(reply.text)")
            #expect(reply.status == expectedStatus[code], "\(body) → \(reply.status)")
            #expect(!(reply.json["error"] as? [String: Any] ?? [:]).isEmpty)
        }
        let huge = try await server.send(.POST, "/api/v1/controller", headers: auth, body: Data(repeating: 32, count: 2 << 20))
        #expect(huge.status == 413)
        let missingRoute = try await server.send(.GET, "/api/v1/nothing")
        #expect(missingRoute.status == 404 && missingRoute.errorCode == "notFound")
        #expect(try await server.store.reader.groupCount() == 0)
        #expect(try await server.store.reader.latestEventId() == 0)
        await server.finish()
    }

    @Test func lifecycleConflicts() async throws {
        let server = try await TestServer.start()
        let mib = Int(PartPlanner.mebibyte)
        let initiated = try await server.ok("initiate", ["fileName": "a", "size": 12 * mib, "partSize": 5 * mib])
        let id = (initiated["session"] as! [String: Any])["id"] as! String
        let early = try await server.call("complete", ["sessionId": id])
        #expect(early.status == 409 && early.errorCode == "conflict")
        #expect(early.text.contains("3 of 3 parts"))
        let outside = try await server.call("signParts", ["sessionId": id, "partNumbers": [0, 4]])
        #expect(outside.status == 422)
        let wrongSize = try await server.call("partUploaded", ["sessionId": id, "partNumber": 1, "etag": "\"x\"", "size": 1])
        #expect(wrongSize.status == 422)
        _ = try await server.ok("cancel", ["sessionId": id])
        let afterCancel = try await server.call("signParts", ["sessionId": id, "partNumbers": [1]])
        #expect(afterCancel.status == 409)
        let completeCancelled = try await server.call("complete", ["sessionId": id])
        #expect(completeCancelled.status == 409 && completeCancelled.errorCode == "invalidTransition")
        let cancelAgain = try await server.call("cancel", ["sessionId": id])
        #expect(cancelAgain.status == 409 && cancelAgain.errorCode == "invalidTransition")
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    @Test func usersSeeOnlyTheirOwnUploads() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let bob = try server.userToken("bob")
        let aliceFile = try await server.upload(randomBytes(10), name: "a", token: alice)
        let session = try #require(try await server.store.reader.session(aliceFile))
        #expect(session.userId == "alice")
        for (action, fields) in [("status", ["sessionId": aliceFile]), ("status", ["groupId": session.groupId]),
                                 ("cancel", ["sessionId": aliceFile]), ("delete", ["groupId": session.groupId]),
                                 ("retry", ["sessionId": aliceFile]), ("signParts", ["sessionId": aliceFile, "partNumbers": [1]] as [String: Any])] {
            let reply = try await server.call(action, fields, token: bob)
            #expect(reply.status == 404, "bob could \(action) alice's upload: \(reply.status)")
        }
        let joined = try await server.call("initiate", ["fileName": "b", "size": 1, "groupId": session.groupId], token: bob)
        #expect(joined.status == 404)
        let own = try await server.call("status", ["sessionId": aliceFile], token: alice)
        #expect(own.status == 200)
        let admin = try await server.call("status", ["sessionId": aliceFile])
        #expect(admin.status == 200)
        await server.finish()
    }
}
