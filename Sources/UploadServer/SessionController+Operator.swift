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
            _ = try await visibleGroup(id, principal)
            return try await retryGroup(id, maxAttempts: maxAttempts, principal)
        case .session(let id):
            sessionIds = [try await visibleSession(id, principal).id]
        case .job(let id):
            guard let job = try await store.reader.read({ try $0.job(id) }) else {
                throw UploadError(.notFound, "no job \(id)")
            }
            _ = try await visibleSession(job.sessionId, principal)
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

    /// The most sessions one transaction of a bulk operator action (retry or cancel of a group)
    /// changes: a group of 100,000 sessions is worked through in transactions of this many, so the
    /// one writer is never held for long and other requests commit in between.
    static let bulkBatch = 256

    /// `retry` of a whole group, in transactions of ``bulkBatch`` sessions in creation order. Each
    /// transaction is whole on its own; if one fails, the ones before it stay retried, and running
    /// the retry again continues (retrying what is not failed changes nothing).
    private func retryGroup(
        _ id: String, maxAttempts: Int, _ principal: Principal
    ) async throws -> ControllerResponse.Retried {
        var retried = ControllerResponse.Retried(sessions: [], parts: [], jobs: [])
        var offset = 0
        while true {
            let query = SessionQuery(groupId: id, sort: .created, offset: offset, limit: Self.bulkBatch)
            let page = try await store.reader.read { try $0.sessions(query).map(\.id) }
            guard !page.isEmpty else { break }
            let batch = try await store.transaction(actedBy: principal.actor) { tx in
                var batch = ControllerResponse.Retried(sessions: [], parts: [], jobs: [])
                for sessionId in page where try tx.sessions.find(sessionId) != nil {
                    try Self.retry(sessionId: sessionId, onlyJob: nil, partNumbers: nil, maxAttempts: maxAttempts, tx: tx, into: &batch)
                }
                return batch
            }
            retried.sessions += batch.sessions
            retried.parts += batch.parts
            retried.jobs += batch.jobs
            if !batch.jobs.isEmpty { jobs.notify() }
            guard page.count == Self.bulkBatch else { break }
            offset += page.count
        }
        return retried
    }

    private static func retry(
        sessionId: String, onlyJob: String?, partNumbers: [Int]?, maxAttempts: Int, tx: StoreTransaction,
        into retried: inout ControllerResponse.Retried
    ) throws {
        let session = try tx.sessions.get(sessionId)
        if session.status.isFinal {
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
            _ = try await visibleGroup(id, principal)
            return try encode(ControllerResponse.GroupResult(group: try await cancelGroup(id, reason: reason, principal)))
        case .session(let id):
            let session = try await visibleSession(id, principal)
            return try encode(ControllerResponse.SessionResult(session: try await cancelSession(session, reason: reason, principal)))
        case .job:
            throw UploadError(.badRequest, "cancel takes a groupId or a sessionId")
        }
    }

    /// Cancels one session with its unfinished jobs (the operator's `cancel`, the uploader's
    /// `abort`), then aborts its storage upload; returns the session as cancelled.
    func cancelSession(_ session: UploadSession, reason: ErrorDetail, _ principal: Principal) async throws -> UploadSession {
        let cancelled = try await store.transaction(actedBy: principal.actor) { tx in
            try tx.sessions.cancel(session.id, reason: reason)
        }
        try? await storage.abort(StorageUpload(session))
        return cancelled
    }

    /// `cancel` of a whole group, batch by batch (see ``inBatches(of:_:each:last:after:)``): its
    /// unfinished sessions are cancelled oldest first, the last transaction cancels the rest and the
    /// group itself, and storage uploads are aborted after each commit.
    private func cancelGroup(_ id: String, reason: ErrorDetail, _ principal: Principal) async throws -> UploadGroup {
        let unfinished = SessionQuery(groupId: id, statuses: Set(FileStatus.allCases.filter { !$0.isFinal }), sort: .created)
        return try await inBatches(
            of: unfinished, principal,
            each: { tx, session in
                if !(try tx.sessions.get(session.id).status.isFinal) { try tx.sessions.cancel(session.id, reason: reason) }
            },
            last: { tx, batchesBefore in
                // Cancelling every session may already have made the group CANCELLED.
                if batchesBefore, let group = try tx.groups.find(id), group.status == .cancelled { return group }
                return try tx.groups.cancel(id, reason: reason)
            },
            after: abortUploads)
    }

    /// Works through the sessions `remaining` finds (in creation order) in transactions of at most
    /// ``bulkBatch``, so a group of 100,000 sessions never holds the one writer for long: while it
    /// finds more than one batch, `each` runs for every session of the oldest batch in one
    /// transaction; then `last` runs in one transaction for the group and what remains (told
    /// whether batches came before). `after` gets each transaction's sessions once it committed.
    ///
    /// `each` must take its sessions out of what `remaining` finds. Every state between two
    /// transactions is one an operator could have made one session at a time, so a failure or a
    /// crash midway leaves a consistent database, and running the action again finishes it.
    private func inBatches<T: Sendable>(
        of remaining: SessionQuery, _ principal: Principal,
        each: @escaping @Sendable (StoreTransaction, UploadSession) throws -> Void,
        last: @escaping @Sendable (StoreTransaction, _ batchesBefore: Bool) throws -> T,
        after: ([UploadSession]) async -> Void
    ) async throws -> T {
        var query = remaining
        query.offset = 0
        query.limit = Self.bulkBatch + 1
        var batchesBefore = false
        while true {
            let page = try await store.reader.read { [query] in try $0.sessions(query) }
            if page.count <= Self.bulkBatch {
                let earlier = batchesBefore
                let result = try await store.transaction(actedBy: principal.actor) { tx in try last(tx, earlier) }
                await after(page)
                return result
            }
            let batch = Array(page.prefix(Self.bulkBatch))
            try await store.transaction(actedBy: principal.actor) { tx in
                for session in batch { try each(tx, session) }
            }
            batchesBefore = true
            await after(batch)
        }
    }

    /// Aborts the storage uploads of sessions that were taking bytes or had failed.
    private func abortUploads(_ sessions: [UploadSession]) async {
        for session in sessions where session.status.isMoving || session.status == .failed {
            try? await storage.abort(StorageUpload(session))
        }
    }

    /// `delete`: rows and bytes are gone; one event says so.
    func delete(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> ControllerResponse.Deleted {
        let target = try TargetRef(request, allowJob: false)
        let sessions: [UploadSession]
        switch target {
        case .group(let id):
            _ = try await visibleGroup(id, principal)
            try await deleteGroup(id, principal)
            return ControllerResponse.Deleted(deleted: true)
        case .session(let id):
            sessions = [try await visibleSession(id, principal)]
            try await store.transaction(actedBy: principal.actor) { tx in try tx.sessions.delete(id) }
        case .job:
            throw UploadError(.badRequest, "delete takes a groupId or a sessionId")
        }
        await removeStoredBytes(sessions)
        return ControllerResponse.Deleted(deleted: true)
    }

    /// `delete` of a whole group, batch by batch (see ``inBatches(of:_:each:last:after:)``): its
    /// sessions are deleted oldest first (one event each), the last transaction deletes the group
    /// with what remains (one event), and stored bytes go after each commit.
    private func deleteGroup(_ id: String, _ principal: Principal) async throws {
        try await inBatches(
            of: SessionQuery(groupId: id, sort: .created), principal,
            each: { tx, session in
                if try tx.sessions.find(session.id) != nil { try tx.sessions.delete(session.id) }
            },
            last: { tx, _ in try tx.groups.delete(id) },
            after: removeStoredBytes)
    }

    /// Removes the sessions' uploads and objects from storage; a failure is logged, not thrown
    /// (the rows are already gone).
    private func removeStoredBytes(_ sessions: [UploadSession]) async {
        for session in sessions {
            do {
                try await storage.abort(StorageUpload(session))
                try await storage.delete(key: session.objectKey)
            } catch {
                logger.warning("could not remove stored bytes", metadata: ["session": "\(session.id)", "error": "\(error)"])
            }
        }
    }

    /// `status`: a group with its sessions, parts and jobs, or one session.
    func status(_ request: ControllerRequest.Target, _ principal: Principal) async throws -> ControllerResponse.Status {
        let target = try TargetRef(request, allowJob: false)
        return try await store.reader.read { snapshot in
            func detail(_ session: UploadSession) throws -> ControllerResponse.SessionDetail {
                ControllerResponse.SessionDetail(
                    session: session, parts: try snapshot.parts(sessionId: session.id),
                    jobs: try snapshot.jobs(sessionId: session.id))
            }
            switch target {
            case .group(let id):
                guard let group = try snapshot.group(id), principal.canAccess(group) else {
                    throw UploadError(.notFound, "no group \(id)")
                }
                let sessions = try snapshot.sessions(SessionQuery(groupId: id, limit: Int.max))
                return ControllerResponse.Status(group: group, sessions: try sessions.map(detail))
            case .session(let id):
                guard let session = try snapshot.session(id), principal.canAccess(session, in: try snapshot.group(session.groupId)) else {
                    throw UploadError(.notFound, "no session \(id)")
                }
                return ControllerResponse.Status(group: try snapshot.group(session.groupId), sessions: [try detail(session)])
            case .job:
                throw UploadError(.badRequest, "status takes a groupId or a sessionId")
            }
        }
    }
}
