import Foundation
import Logging
import ObjectStorage
import UploadModel
import UploadStore

/// The session controller: every action of `POST /api/v1/controller`, each one transaction through
/// the lifecycle, scoped to what the caller's token may see.
public struct SessionController: Sendable {
    let store: UploadStore
    let storage: any ObjectStorage
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let jobs: JobSignal
    let transfers: TransferTracker
    let logger: Logger

    /// Creates a controller; `transfers` tells which sessions have bytes arriving in this process.
    public init(
        store: UploadStore, storage: any ObjectStorage, configuration: ServerConfiguration,
        metrics: ServerMetrics, jobs: JobSignal, transfers: TransferTracker = TransferTracker(), logger: Logger
    ) {
        self.store = store
        self.storage = storage
        self.configuration = configuration
        self.metrics = metrics
        self.jobs = jobs
        self.transfers = transfers
        self.logger = logger
    }

    /// Runs the action named in `body` for `principal` and returns the JSON answer.
    public func handle(body: Data, principal: Principal) async throws -> String {
        let envelope = try RequestDecoder.decode(ControllerRequest.Envelope.self, from: body)
        switch envelope.action {
        case "createGroup":
            return try encode(try await createGroup(RequestDecoder.decode(ControllerRequest.CreateGroup.self, from: body), principal))
        case "initiate":
            return try encode(try await initiate(RequestDecoder.decode(ControllerRequest.Initiate.self, from: body), principal))
        case "signParts":
            return try encode(try await signParts(RequestDecoder.decode(ControllerRequest.SignParts.self, from: body), principal))
        case "partUploaded":
            return try encode(try await partUploaded(RequestDecoder.decode(ControllerRequest.PartUploaded.self, from: body), principal))
        case "complete":
            return try encode(try await complete(RequestDecoder.decode(ControllerRequest.SessionRef.self, from: body), principal))
        case "abort":
            return try encode(try await abort(RequestDecoder.decode(ControllerRequest.SessionRef.self, from: body), principal))
        case "retry":
            return try encode(try await retry(target(body, ignoring: ["reason"]), principal))
        case "cancel":
            return try await cancel(target(body, ignoring: ["partNumbers"]), principal)
        case "delete":
            return try encode(try await delete(target(body, ignoring: ["partNumbers", "reason"]), principal))
        case "status":
            return try encode(try await status(target(body, ignoring: ["partNumbers", "reason"]), principal))
        default:
            throw UploadError(.badRequest, "unknown action '\(envelope.action)'; one of: \(Self.actions.joined(separator: ", "))")
        }
    }

    /// The target of retry, cancel, delete or status, without the fields of the other three that this
    /// action does not take (ignored, whatever their type, as any unknown field is).
    func target(_ body: Data, ignoring fields: Set<String>) throws -> ControllerRequest.Target {
        try RequestDecoder.decode(ControllerRequest.Target.self, from: body, ignoring: fields)
    }

    /// Every action the controller knows.
    public static let actions = [
        "createGroup", "initiate", "signParts", "partUploaded", "complete", "abort", "retry", "cancel",
        "delete", "status",
    ]

    /// Finishes sessions whose bytes all arrived.
    var finisher: SessionFinisher {
        SessionFinisher(configuration: configuration, metrics: metrics, jobs: jobs)
    }

    func encode<T: Encodable>(_ value: T) throws -> String {
        try UploadJSON.string(value)
    }

    // MARK: Lookups scoped to the caller

    /// The group, if the caller may see it; otherwise `notFound` (existence is not revealed).
    func visibleGroup(_ id: String, _ principal: Principal) async throws -> UploadGroup {
        guard let group = try await store.reader.group(id), principal.canAccess(owner: group.userId) else {
            throw UploadError(.notFound, "no group \(id)")
        }
        return group
    }

    /// The session, if the caller may see it.
    func visibleSession(_ id: String, _ principal: Principal) async throws -> UploadSession {
        guard let session = try await store.reader.session(id), principal.canAccess(owner: session.userId) else {
            throw UploadError(.notFound, "no session \(id)")
        }
        return session
    }

    /// A session's plan.
    static func plan(of session: UploadSession) -> PartPlan {
        PartPlan(fileSize: session.size, method: session.method, partSize: session.partSize, totalParts: session.totalParts)
    }

    /// Checks `value` is present and not blank: a missing or empty field is malformed (400); one of
    /// only spaces is well-formed but unacceptable (422), as the API document's `minLength: 1` says.
    static func required(_ value: String?, _ field: String) throws -> String {
        guard let value, !value.isEmpty else {
            throw UploadError(.badRequest, "field '\(field)' is missing")
        }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UploadError(.invalidArgument, "field '\(field)' must not be blank")
        }
        return value
    }
}
