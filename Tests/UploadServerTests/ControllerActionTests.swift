import Foundation
import Testing
import UploadModel
@testable import UploadServer

/// The table of controller actions drives dispatch: names, who may call, the fields an action
/// ignores, and the metrics labels.
@Suite struct ControllerActionTests {
    /// The actions of the API contract (DESIGN.md, with v1.1's partsUploaded and eventsToken), each
    /// declared once; an upload link may call all but delete.
    @Test func theTableDeclaresEachActionOnce() {
        #expect(ControllerAction.names == [
            "createGroup", "initiate", "signParts", "partUploaded", "partsUploaded", "complete", "abort", "retry", "cancel", "delete", "status",
            "eventsToken",
        ])
        #expect(ControllerAction.all.filter { !$0.uploadLinks }.map(\.name) == ["delete"])
        #expect(Set(ControllerAction.names).count == ControllerAction.all.count)
        #expect(ControllerAction.named("status")?.requestType == ControllerRequest.Target.self)
        #expect(ControllerAction.named("fly") == nil)
    }

    /// Today every action is open to any token: a user retries, cancels and deletes their own
    /// uploads, and another user's answer 404 as if they did not exist (SecurityTests), not 403.
    @Test func everyActionIsOpenToAnyToken() {
        for action in ControllerAction.all {
            #expect(action.callers == .anyUser, "\(action.name) is \(action.callers)")
        }
        #expect(ControllerAction.Callers.anyUser.admit(Principal(userId: "alice", isAdmin: false)))
        #expect(!ControllerAction.Callers.admin.admit(Principal(userId: "alice", isAdmin: false)))
        #expect(ControllerAction.Callers.admin.admit(Principal(userId: "root", isAdmin: true)))
    }

    @Test func anUnknownActionListsTheTablesNames() async throws {
        let server = try await TestServer.start()
        let reply = try await server.call("fly")
        #expect(reply.status == 400 && reply.errorCode == "badRequest")
        let message = try #require((reply.json["error"] as? [String: Any])?["message"] as? String)
        #expect(message == "unknown action 'fly'; one of: \(ControllerAction.names.joined(separator: ", "))")
        await server.finish()
    }

    /// A table with an admin-only action: a user token gets 403 before its body is even decoded, and
    /// the handler never runs for it; an admin token runs it.
    @Test func anAdminOnlyActionRefusesAUserToken() async throws {
        let server = try await TestServer.start()
        let runs = RunCount()
        let purge = ControllerAction("purge", ControllerRequest.SessionRef.self, callers: .admin, handler: { _ in
            { (request: ControllerRequest.SessionRef, principal: Principal) async throws -> ControllerResponse.Deleted in
                runs.add()
                return ControllerResponse.Deleted(deleted: request.sessionId == "ses_1" && principal.isAdmin)
            }
        })
        let upload = server.server
        let controller = SessionController(
            store: upload.store, storage: upload.storage, configuration: upload.configuration, metrics: upload.metrics,
            jobs: upload.signal, transfers: upload.transfers, logger: upload.logger, actions: ControllerAction.all + [purge])
        let alice = Principal(userId: "alice", isAdmin: false)
        for body in [#"{"action":"purge","sessionId":"ses_1"}"#, #"{"action":"purge"}"#] {
            let error = await #expect(throws: UploadError.self) { try await controller.handle(body: Data(body.utf8), principal: alice) }
            #expect(error?.code == .forbidden && error?.status.code == 403, "\(body): \(String(describing: error))")
        }
        #expect(runs.value == 0)
        let answer = try await controller.handle(
            body: Data(#"{"action":"purge","sessionId":"ses_1"}"#.utf8), principal: Principal(userId: "root", isAdmin: true))
        #expect(answer == #"{"deleted":true}"#)
        #expect(runs.value == 1)
        // The table's other actions still answer a user.
        let created = try await controller.handle(body: Data(#"{"action":"createGroup","name":"mine"}"#.utf8), principal: alice)
        #expect(created.contains(#""userId":"alice""#))
        await server.finish()
    }

    /// Fields of the shared target type that an action does not take are ignored whatever their
    /// type; the same field is checked for the action that takes it.
    @Test func anActionIgnoresTheSharedFieldsItDoesNotTake() throws {
        let cancel = try #require(ControllerAction.named("cancel"))
        let retry = try #require(ControllerAction.named("retry"))
        let status = try #require(ControllerAction.named("status"))
        #expect(cancel.ignoredFields == ["partNumbers"] && retry.ignoredFields == ["reason"])
        try cancel.validate(Data(#"{"action":"cancel","groupId":"grp_1","partNumbers":"all"}"#.utf8))
        try status.validate(Data(#"{"action":"status","groupId":"grp_1","reason":7,"partNumbers":{}}"#.utf8))
        #expect(throws: UploadError.self) { try retry.validate(Data(#"{"action":"retry","sessionId":"s","partNumbers":"all"}"#.utf8)) }
        #expect(throws: UploadError.self) { try cancel.validate(Data(#"{"action":"cancel","groupId":"grp_1","reason":7}"#.utf8)) }
    }

    /// Each action is counted and timed under its table name; a name the table does not have is
    /// counted as `unknown`, never as a label of its own.
    @Test func metricsCountEachActionUnderItsName() async throws {
        let server = try await TestServer.start()
        let before = try await server.send(.GET, "/metrics").text
        for name in ControllerAction.names {
            #expect(before.contains(#"upman_controller_requests_total{action="\#(name)",outcome="ok"} 0"#), "\(name)")
        }
        _ = try await server.ok("createGroup", ["name": "a"])
        _ = try await server.ok("createGroup", ["name": "b"])
        _ = try await server.call("status", ["groupId": "grp_nope"])
        for index in 0..<3 { _ = try await server.call("fly\(index)") }
        _ = try await server.send(.POST, "/api/v1/controller", headers: [("Authorization", "Bearer \(server.adminToken)")],
                                  body: Data("not json".utf8))
        let after = try await server.send(.GET, "/metrics").text
        #expect(after.contains(#"upman_controller_requests_total{action="createGroup",outcome="ok"} 2"#))
        #expect(after.contains(#"upman_controller_requests_total{action="status",outcome="error"} 1"#))
        #expect(after.contains(#"upman_controller_requests_total{action="unknown",outcome="error"} 4"#))
        #expect(after.contains(#"upman_controller_request_duration_seconds_count{action="createGroup"} 2"#))
        #expect(!after.contains("fly"))
        await server.finish()
    }
}
