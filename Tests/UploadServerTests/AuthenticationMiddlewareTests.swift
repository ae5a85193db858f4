import Foundation
import NIOHTTP1
import Testing
import UploadModel
@testable import UploadServer

/// The routes that take a token get their caller from the authentication middleware; the others
/// answer without one.
@Suite struct AuthenticationMiddlewareTests {
    @Test func theControllerAndTheEventStreamAnswer401WithoutAValidToken() async throws {
        let server = try await TestServer.start()
        let doors: [(HTTPMethod, String)] = [(.POST, "/api/v1/controller"), (.GET, "/api/v1/events")]
        let headers: [[(String, String)]] = [
            [], [("Authorization", "Bearer nope")], [("Authorization", "Basic YTpi")], [("Authorization", "Bearer")],
        ]
        for (method, path) in doors {
            for header in headers {
                let reply = try await server.send(method, path, headers: header, body: method == .POST ? Data("{}".utf8) : nil)
                #expect(reply.status == 401 && reply.errorCode == "unauthorized", "\(method) \(path) \(header) → \(reply.status)")
                #expect(reply.headers["WWW-Authenticate"] == ["Bearer"], "\(method) \(path) \(header)")
                #expect(reply.headers["X-Request-Id"].first?.isEmpty == false)
            }
        }
        await server.finish()
    }

    @Test func healthMetricsAndTheDocumentNeedNoToken() async throws {
        let server = try await TestServer.start()
        for path in ["/healthz", "/metrics", "/api/v1/openapi.yaml"] {
            let reply = try await server.send(.GET, path)
            #expect(reply.status == 200, "\(path) → \(reply.status)")
        }
        await server.finish()
    }

    /// The controller acts for the token's principal: what a user creates is the user's.
    @Test func theControllerActsForTheTokensPrincipal() async throws {
        let server = try await TestServer.start()
        let alice = try server.userToken("alice")
        let mine = try await server.ok("createGroup", ["name": "mine"], token: alice)
        #expect((mine["group"] as? [String: Any])?["userId"] as? String == "alice")
        let admins = try await server.ok("createGroup", ["name": "ops"])
        #expect((admins["group"] as? [String: Any])?["userId"] as? String == "admin")
        await server.finish()
    }
}
