import Foundation
import UploadModel

/// One action of `POST /api/v1/controller`, declared once: its name, its request type, who may call
/// it and its handler.
///
/// ``all`` is the table: ``SessionController/handle(body:principal:)`` dispatches by it, the shared
/// request types leave out the fields it says an action ignores, the per-action metrics are labelled
/// with its names, and the OpenAPI document's tests check the document against it.
public struct ControllerAction: Sendable {
    /// Who may call an action.
    public enum Callers: String, Sendable {
        /// Any valid token. The handler scopes what the caller sees: a user's own uploads, an admin's all.
        case anyUser
        /// Admin (operator) tokens only; any other token gets 403 `forbidden`.
        case admin

        /// Whether `principal` may call an action open to these callers.
        public func admit(_ principal: Principal) -> Bool {
            switch self {
            case .anyUser: true
            case .admin: principal.isAdmin
            }
        }
    }

    /// The wire name, the body's `action`.
    public let name: String
    /// The type the body decodes as.
    public let requestType: any (Decodable & Sendable).Type
    /// Who may call it.
    public let callers: Callers
    /// Whether an upload link's token may call it (default no: a new action stays closed to links
    /// until it says otherwise). Events tokens call no action.
    public let uploadLinks: Bool
    /// Fields of a request type shared with other actions that this action does not take: left out
    /// before decoding, so they are ignored whatever their type, as any unknown field is.
    public let ignoredFields: Set<String>
    private let check: @Sendable (Data) throws -> Void
    private let run: @Sendable (SessionController, Data, Principal) async throws -> String

    /// Every action the controller knows, in the order the API document lists them.
    public static let all: [ControllerAction] = [
        ControllerAction("createGroup", ControllerRequest.CreateGroup.self, links: true, handler: SessionController.createGroup),
        ControllerAction("initiate", ControllerRequest.InitiateBody.self, links: true, json: SessionController.initiate),
        ControllerAction("signParts", ControllerRequest.SignParts.self, links: true, handler: SessionController.signParts),
        ControllerAction("partUploaded", ControllerRequest.PartUploaded.self, links: true, handler: SessionController.partUploaded),
        ControllerAction("partsUploaded", ControllerRequest.PartsUploaded.self, links: true, handler: SessionController.partsUploaded),
        ControllerAction("complete", ControllerRequest.SessionRef.self, links: true, handler: SessionController.complete),
        ControllerAction("abort", ControllerRequest.SessionRef.self, links: true, handler: SessionController.abort),
        ControllerAction("retry", ControllerRequest.Target.self, ignoring: ["reason"], links: true, handler: SessionController.retry),
        ControllerAction("cancel", ControllerRequest.Target.self, ignoring: ["partNumbers"], links: true, json: SessionController.cancel),
        ControllerAction(
            "delete", ControllerRequest.Target.self, ignoring: ["partNumbers", "reason"], handler: SessionController.delete),
        ControllerAction(
            "status", ControllerRequest.Target.self, ignoring: ["partNumbers", "reason"], links: true, handler: SessionController.status),
        ControllerAction("eventsToken", ControllerRequest.EventsToken.self, links: true, handler: SessionController.eventsToken),
    ]

    /// The names of ``all``, in order.
    public static let names: [String] = all.map(\.name)

    /// Declares an action whose handler answers a value, sent as JSON.
    init<Request: Decodable & Sendable, Answer: Encodable & Sendable>(
        _ name: String, _ requestType: Request.Type, callers: Callers = .anyUser, ignoring ignoredFields: Set<String> = [],
        links uploadLinks: Bool = false, handler: @escaping @Sendable (SessionController) -> (Request, Principal) async throws -> Answer
    ) {
        self.init(name, requestType, callers: callers, ignoring: ignoredFields, links: uploadLinks) { controller, request, principal in
            try UploadJSON.string(try await handler(controller)(request, principal))
        }
    }

    /// Declares an action whose handler answers JSON it encoded itself (`cancel` answers a group or a
    /// session, depending on its target; `initiate` one session or a batch, depending on its form).
    init<Request: Decodable & Sendable>(
        _ name: String, _ requestType: Request.Type, callers: Callers = .anyUser, ignoring ignoredFields: Set<String> = [],
        links uploadLinks: Bool = false, json handler: @escaping @Sendable (SessionController) -> (Request, Principal) async throws -> String
    ) {
        self.init(name, requestType, callers: callers, ignoring: ignoredFields, links: uploadLinks) { controller, request, principal in
            try await handler(controller)(request, principal)
        }
    }

    private init<Request: Decodable & Sendable>(
        _ name: String, _ requestType: Request.Type, callers: Callers, ignoring ignoredFields: Set<String>, links uploadLinks: Bool,
        answer: @escaping @Sendable (SessionController, Request, Principal) async throws -> String
    ) {
        self.name = name
        self.requestType = requestType
        self.callers = callers
        self.uploadLinks = uploadLinks
        self.ignoredFields = ignoredFields
        self.check = { body in _ = try Self.decode(Request.self, from: body, ignoring: ignoredFields) }
        self.run = { controller, body, principal in
            try await answer(controller, try Self.decode(Request.self, from: body, ignoring: ignoredFields), principal)
        }
    }

    /// The action named `name`, if the table has one.
    public static func named(_ name: String) -> ControllerAction? {
        all.first { $0.name == name }
    }

    /// Checks that `body` decodes as this action's request, as dispatch decodes it (the `action`
    /// field itself is the envelope's); throws the 400 dispatch would answer.
    func validate(_ body: Data) throws {
        try check(body)
    }

    /// Runs the action for `principal` on `controller`: 403 `forbidden` unless ``callers`` admit the
    /// principal and its token's scope allows the action (an events token none, an upload link's
    /// those marked ``uploadLinks``), 400 when the body is not this action's request; otherwise the
    /// handler's JSON answer.
    func perform(_ body: Data, for principal: Principal, on controller: SessionController) async throws -> String {
        switch principal.scope {
        case .api: break
        case .events: throw UploadError(.forbidden, "an events token only reads GET /api/v1/events")
        case .uploadLink:
            guard uploadLinks else { throw UploadError(.forbidden, "an upload link may not call '\(name)'") }
        }
        guard callers.admit(principal) else {
            throw UploadError(.forbidden, "action '\(name)' needs an admin token")
        }
        return try await run(controller, body, principal)
    }

    private static func decode<Request: Decodable>(_ type: Request.Type, from body: Data, ignoring fields: Set<String>) throws -> Request {
        fields.isEmpty ? try RequestDecoder.decode(type, from: body) : try RequestDecoder.decode(type, from: body, ignoring: fields)
    }
}
