import Foundation
import ObjectStorage
import UploadModel
import UploadStore

extension SessionController {
    /// The one target of retry, cancel, delete or status.
    enum TargetRef {
        case group(String)
        case session(String)
        case job(String)

        init(_ request: ControllerRequest.Target, allowJob: Bool) throws {
            let given = [request.groupId.map(TargetRef.group), request.sessionId.map(TargetRef.session),
                         allowJob ? request.jobId.map(TargetRef.job) : nil].compactMap { $0 }
            guard given.count == 1, let only = given.first else {
                throw UploadError(.badRequest, allowJob ? "give exactly one of groupId, sessionId or jobId" : "give exactly one of groupId or sessionId")
            }
            if !allowJob && request.jobId != nil { throw UploadError(.badRequest, "jobId is only for retry") }
            self = only
        }
    }

    /// `retry`: failed parts go back to PENDING (or the named ones), failed jobs are queued again,
    /// and failed sessions move back to where they can continue.
    func retry(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> ControllerResponse.Retried {
        let target = try TargetRef(request, allowJob: true)
        if request.partNumbers != nil, request.sessionId == nil { throw UploadError(.badRequest, "partNumbers needs a sessionId") }
        let maxAttempts = configuration.jobMaxAttempts
        let sessionIds: [String]
        var jobId: String?
        switch target {
        case .group(let id):
            _ = try visibleGroup(id, principal)
            sessionIds = try store.reader.sessions(SessionQuery(groupId: id, limit: 100_000)).map(\.id)
        case .session(let id):
            sessionIds = [try visibleSession(id, principal).id]
        case .job(let id):
            guard let job = try store.reader.snapshot({ try $0.job(id) }) else {
                throw UploadError(.notFound, "no job \(id)")
            }
            _ = try visibleSession(job.sessionId, principal)
            sessionIds = [job.sessionId]
            jobId = id
        }
        let partNumbers = request.partNumbers
        let onlyJob = jobId
        let result = try await store.transaction(actedBy: principal.actor) { tx in
            var retried = ControllerResponse.Retried(sessions: [], parts: [], jobs: [])
            for sessionId in sessionIds {
                try Self.retry(sessionId: sessionId, onlyJob: onlyJob, partNumbers: partNumbers,
                               maxAttempts: maxAttempts, tx: tx, into: &retried)
            }
            if case .session = target, retried.parts.isEmpty, retried.jobs.isEmpty, retried.sessions.isEmpty {
                throw UploadError(.conflict, "nothing to retry: no failed parts or jobs")
            }
            if case .job = target, retried.jobs.isEmpty {
                throw UploadError(.conflict, "job \(onlyJob ?? "") has not failed")
            }
            return retried
        }
        if !result.jobs.isEmpty { jobs.notify() }
        return result
    }

    private static func retry(
        sessionId: String, onlyJob: String?, partNumbers: [Int]?, maxAttempts: Int, tx: StoreTransaction,
        into retried: inout ControllerResponse.Retried
    ) throws {
        let session = try tx.sessions.get(sessionId)
        if [.completed, .cancelled, .expired].contains(session.status) {
            if onlyJob != nil || partNumbers != nil {
                throw UploadError(.invalidTransition, "session \(sessionId) is \(session.status.rawValue); nothing can be retried")
            }
            return
        }
        if onlyJob == nil {
            let parts = try tx.parts.forSession(sessionId)
            let chosen: [FilePart]
            if let partNumbers {
                chosen = try partNumbers.map { number in
                    guard let part = parts.first(where: { $0.partNumber == number }) else {
                        throw UploadError(.invalidArgument, "session \(sessionId) has no part \(number)")
                    }
                    return part
                }.filter { $0.status == .failed || $0.status == .uploaded }
            } else {
                chosen = parts.filter { $0.status == .failed }
            }
            for part in chosen {
                retried.parts.append(try tx.parts.transition(sessionId: sessionId, partNumber: part.partNumber, to: .pending))
            }
        }
        var requeued = false
        for job in try tx.jobs.forSession(sessionId) where job.status == .failed && (onlyJob == nil || job.id == onlyJob) {
            var queued = try tx.jobs.transition(job.id, to: .queued)
            if queued.attempts >= queued.maxAttempts {
                queued.maxAttempts = queued.attempts + maxAttempts
                try tx.jobs.setMaxAttempts(job.id, queued.maxAttempts)
            }
            retried.jobs.append(queued)
            requeued = true
        }
        guard session.status == .failed else {
            if !retried.parts.isEmpty, session.status == .uploaded || session.status == .processing {
                throw UploadError(.invalidTransition, "session \(sessionId) is \(session.status.rawValue); its parts cannot be sent again")
            }
            return
        }
        let parts = try tx.parts.forSession(sessionId)
        let next: FileStatus
        if requeued {
            next = .processing
        } else if parts.allSatisfy({ $0.status == .uploaded }) {
            next = .uploaded
        } else {
            next = parts.contains { $0.status != .pending } ? .uploading : .pending
        }
        retried.sessions.append(try tx.sessions.transition(sessionId, to: next) { $0.attempts += 1; $0.error = nil })
    }

    /// `cancel`: the group or session stops taking bytes and its storage is cleaned.
    func cancel(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> String {
        let target = try TargetRef(request, allowJob: false)
        let reason = ErrorDetail(code: "cancelledByOperator", message: request.reason ?? "cancelled by \(principal.actor)")
        switch target {
        case .group(let id):
            _ = try visibleGroup(id, principal)
            let open = try store.reader.sessions(SessionQuery(groupId: id, limit: 100_000))
            let group = try await store.transaction(actedBy: principal.actor) { tx in try tx.groups.cancel(id, reason: reason) }
            for session in open where session.status.isMoving || session.status == .failed {
                try? await storage.abort(StorageUpload(session))
            }
            return try encode(ControllerResponse.GroupResult(group: group))
        case .session(let id):
            let session = try visibleSession(id, principal)
            let cancelled = try await store.transaction(actedBy: principal.actor) { tx in try tx.sessions.cancel(id, reason: reason) }
            try? await storage.abort(StorageUpload(session))
            return try encode(ControllerResponse.SessionResult(session: cancelled))
        case .job:
            throw UploadError(.badRequest, "cancel takes a groupId or a sessionId")
        }
    }

    /// `delete`: rows and bytes are gone; one event says so.
    func delete(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> ControllerResponse.Deleted {
        let target = try TargetRef(request, allowJob: false)
        let sessions: [UploadSession]
        switch target {
        case .group(let id):
            _ = try visibleGroup(id, principal)
            sessions = try store.reader.sessions(SessionQuery(groupId: id, limit: 100_000))
            try await store.transaction(actedBy: principal.actor) { tx in try tx.groups.delete(id) }
        case .session(let id):
            sessions = [try visibleSession(id, principal)]
            try await store.transaction(actedBy: principal.actor) { tx in try tx.sessions.delete(id) }
        case .job:
            throw UploadError(.badRequest, "delete takes a groupId or a sessionId")
        }
        for session in sessions {
            do {
                try await storage.abort(StorageUpload(session))
                try await storage.delete(key: session.objectKey)
            } catch {
                logger.warning("could not remove stored bytes", metadata: ["session": "\(session.id)", "error": "\(error)"])
            }
        }
        return ControllerResponse.Deleted(deleted: true)
    }

    /// `status`: a group with its sessions, parts and jobs, or one session.
    func status(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> ControllerResponse.Status {
        let target = try TargetRef(request, allowJob: false)
        return try store.reader.snapshot { snapshot in
            func detail(_ session: UploadSession) throws -> ControllerResponse.SessionDetail {
                ControllerResponse.SessionDetail(
                    session: session, parts: try snapshot.parts(sessionId: session.id),
                    jobs: try snapshot.jobs(sessionId: session.id))
            }
            switch target {
            case .group(let id):
                guard let group = try snapshot.group(id), principal.canAccess(owner: group.userId) else {
                    throw UploadError(.notFound, "no group \(id)")
                }
                let sessions = try snapshot.sessions(SessionQuery(groupId: id, limit: 100_000))
                return ControllerResponse.Status(group: group, sessions: try sessions.map(detail))
            case .session(let id):
                guard let session = try snapshot.session(id), principal.canAccess(owner: session.userId) else {
                    throw UploadError(.notFound, "no session \(id)")
                }
                return ControllerResponse.Status(group: try snapshot.group(session.groupId), sessions: [try detail(session)])
            case .job:
                throw UploadError(.badRequest, "status takes a groupId or a sessionId")
            }
        }
    }
}
