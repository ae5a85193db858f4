import Foundation
import Testing
import UploadModel
@testable import UploadServer

/// A failure upman has no code for answers 500 `internalError` naming only the request's id; the
/// log holds the detail under the same id.
@Suite struct InternalErrorTests {
    static let initiate = Data(#"{"action":"initiate","fileName":"a.bin","size":10}"#.utf8)

    @Test func anInternalErrorHidesItsTextAndNamesTheRequestId() async throws {
        let capture = LogCapture()
        let secret = "disk /var/secret/\(UUID().uuidString) exploded"
        let server = try await TestServer.start(storage: FailingStorage(secret: secret), logger: capture.logger())
        let auth = ("Authorization", "Bearer \(server.adminToken)")
        for sent in [nil, "trace-42.a:b_c"] {
            let headers = [auth] + (sent.map { [("X-Request-Id", $0)] } ?? [])
            let reply = try await server.send(.POST, "/api/v1/controller", headers: headers, body: Self.initiate)
            #expect(reply.status == 500 && reply.errorCode == "internalError", "\(reply.status) \(reply.text)")
            let id = try #require(reply.headers["X-Request-Id"].first)
            if let sent { #expect(id == sent) }
            let message = (reply.json["error"] as? [String: Any])?["message"] as? String
            #expect(message == "internal error; request id \(id)")
            #expect(!reply.text.contains("secret") && !reply.text.contains("Failure"), "\(reply.text)")
            let logged = capture.all.filter { $0.level == .error && $0.metadata["hb.request.id"] == id }
            #expect(logged.count == 1, "\(capture.all)")
            #expect(logged.first?.metadata["error"]?.contains(secret) == true, "\(logged)")
            #expect(logged.first?.metadata["code"] == "internalError")
        }
        let metrics = try await server.send(.GET, "/metrics").text
        #expect(metrics.contains(#"upman_errors_total{code="internalError"} 2"#))
        #expect(metrics.contains(#"upman_controller_requests_total{action="initiate",outcome="error"} 2"#))
        #expect(try await server.store.reader.groupCount() == 0)
        await server.finish()
    }

    /// Errors with a code keep it and their message: only the uncoded ones are hidden.
    @Test func codedErrorsKeepTheirCodeAndMessage() async throws {
        let capture = LogCapture()
        let server = try await TestServer.start(logger: capture.logger())
        let reply = try await server.call("status", ["sessionId": "ses_nope"])
        #expect(reply.status == 404 && reply.errorCode == "notFound")
        #expect((reply.json["error"] as? [String: Any])?["message"] as? String == "no session ses_nope")
        #expect(capture.all.allSatisfy { $0.level < .error }, "\(capture.all)")
        await server.finish()
    }
}
