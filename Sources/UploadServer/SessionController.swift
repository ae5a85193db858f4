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
    /// The actions it dispatches to (``ControllerAction/all`` unless a test gives others).
    let actions: [ControllerAction]

    /// Creates a controller; `transfers` tells which sessions have bytes arriving in this process.
    public init(
        store: UploadStore, storage: any ObjectStorage, configuration: ServerConfiguration,
        metrics: ServerMetrics, jobs: JobSignal, transfers: TransferTracker = TransferTracker(), logger: Logger
    ) {
        self.init(
            store: store, storage: storage, configuration: configuration, metrics: metrics, jobs: jobs,
            transfers: transfers, logger: logger, actions: ControllerAction.all)
    }

    /// Creates a controller that dispatches to `actions` instead of ``ControllerAction/all``.
    init(
        store: UploadStore, storage: any ObjectStorage, configuration: ServerConfiguration,
        metrics: ServerMetrics, jobs: JobSignal, transfers: TransferTracker, logger: Logger, actions: [ControllerAction]
    ) {
        self.actions = actions
        self.store = store
        self.storage = storage
        self.configuration = configuration
        self.metrics = metrics
        self.jobs = jobs
        self.transfers = transfers
        self.logger = logger
    }

    /// Runs the action named in `body` for `principal` and returns the JSON answer: the action is
    /// looked up in ``actions`` (400 listing their names when it is not there), then checked, decoded
    /// and run as its entry says. Each call is counted and timed under its action's name.
    public func handle(body: Data, principal: Principal) async throws -> String {
        let started = ContinuousClock.now
        var name: String?
        do {
            let envelope = try RequestDecoder.decode(ControllerRequest.Envelope.self, from: body)
            guard let action = actions.first(where: { $0.name == envelope.action }) else {
                let names = actions.map(\.name).joined(separator: ", ")
                throw UploadError(.badRequest, "unknown action '\(envelope.action)'; one of: \(names)")
            }
            name = action.name
            let answer = try await action.perform(body, for: principal, on: self)
            metrics.actionFinished(action.name, succeeded: true, duration: started.duration(to: .now))
            return answer
        } catch {
            metrics.actionFinished(name, succeeded: false, duration: started.duration(to: .now))
            throw error
        }
    }

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
        guard let group = try await store.reader.group(id), principal.canAccess(group) else {
            throw UploadError(.notFound, "no group \(id)")
        }
        return group
    }

    /// The session, if the caller may see it (an upload link bound to a group: only in a group of
    /// that name); otherwise `notFound`.
    func visibleSession(_ id: String, _ principal: Principal) async throws -> UploadSession {
        guard let session = try await store.reader.session(id), try await Self.canAccess(session, principal, store.reader) else {
            throw UploadError(.notFound, "no session \(id)")
        }
        return session
    }

    /// Whether `principal` may see `session`, reading its group from `reader` only when the
    /// principal is bound to a group name.
    static func canAccess(_ session: UploadSession, _ principal: Principal, _ reader: UploadReader) async throws -> Bool {
        let group = principal.needsGroupOfSession ? try await reader.group(session.groupId) : nil
        return principal.canAccess(session, in: group)
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
