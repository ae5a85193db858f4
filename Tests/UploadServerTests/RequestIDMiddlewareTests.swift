import Foundation
import Testing
@testable import UploadServer

/// Every response carries its request's id: the client's own when it is sane, else one the server made.
@Suite struct RequestIDMiddlewareTests {
    @Test func everyResponseCarriesItsRequestId() async throws {
        let server = try await TestServer.start()
        let first = try await server.send(.GET, "/healthz")
        let second = try await server.send(.GET, "/healthz")
        let ids = [first, second].compactMap { $0.headers["X-Request-Id"].first }
        #expect(ids.count == 2 && ids[0] != ids[1] && ids.allSatisfy { !$0.isEmpty })
        let missing = try await server.send(.GET, "/api/v1/nothing", headers: [("X-Request-Id", "abc-123")])
        #expect(missing.status == 404 && missing.headers["X-Request-Id"] == ["abc-123"])
        for insane in ["has space", String(repeating: "a", count: 129), "a\"b"] {
            let reply = try await server.send(.GET, "/healthz", headers: [("X-Request-Id", insane)])
            let id = try #require(reply.headers["X-Request-Id"].first)
            #expect(id != insane && RequestIDMiddleware.accepted(id) == id, "\(insane.debugDescription) → \(id)")
        }
        await server.finish()
    }

    @Test func aClientsRequestIdIsTakenOnlyWhenSane() {
        for sane in ["a", "4f1c2a9b-e07d-4c3a-8e5b-6d7f01234567", "trace:1.2_3", String(repeating: "x", count: 128)] {
            #expect(RequestIDMiddleware.accepted(sane) == sane)
        }
        for insane in [nil, "", "two words", "line\nbreak", "semi;colon", String(repeating: "x", count: 129), "é"] {
            #expect(RequestIDMiddleware.accepted(insane) == nil, "\(String(describing: insane))")
        }
    }
}
