import Foundation
import UploadModel

extension Dashboard {
    /// Applies committed changes (from the SSE feed or the database's event log) in id order;
    /// events already applied are skipped, so both paths can overlap safely. A burst is applied
    /// as a whole before the next frame; each event moves at most one row of each pane.
    public func apply(_ events: [UploadEvent], now: Date = Date()) {
        for event in events { apply(event, now: now) }
    }

    /// Applies one committed change.
    public func apply(_ event: UploadEvent, now: Date = Date()) {
        guard event.id > lastEventId else { return }
        lastEventId = event.id
        guard let change = try? event.change() else { return }
        let time = min(event.createdAt, now)
        needsRender = true
        if inspector != nil { inspectorSaw(event, change: change) }
        switch change {
        case .group(let group):
            var meter = groupMeters[group.id] ?? RateMeter()
            let before = meter.value
            meter.record(value: group.bytesUploaded, at: time)
            groupMeters[group.id] = meter
            if let before, group.bytesUploaded > before { throughput.add(group.bytesUploaded - before, at: time) }
            if groupMeters.count > 20_000 { groupMeters = groupMeters.filter { $0.value.lastMovement.map { now.timeIntervalSince($0) < 60 } ?? false } }
            let hadSelection = groups.selectedId
            sumsStale = true
            groups.apply(group)
            if hadSelection == nil, groups.selectedId != nil { try? loadSessions(now: now) }
        case .session(let session):
            sessionMeters[session.id, default: RateMeter()].record(value: session.bytesUploaded, at: time)
            if sessionMeters.count > 100_000 { sessionMeters = sessionMeters.filter { $0.value.lastMovement.map { now.timeIntervalSince($0) < 60 } ?? false } }
            noteProblem(session: session, now: now)
            guard session.groupId == groups.selectedId else { return }
            let hadSelection = files.selectedId
            files.upsert(session)
            if hadSelection == nil, files.selectedId != nil { try? loadDetails() }
        case .part(let part):
            guard part.sessionId == files.selectedId else { return }
            parts.upsert(part)
        case .job(let job):
            if job.status == .failed || problems.row(id: job.id) != nil { problemsStale = true }
            guard job.sessionId == files.selectedId else { return }
            jobs.upsert(job)
        case .deleted(let gone):
            switch gone.kind {
            case .group:
                let wasSelected = groups.selectedId == gone.id
                groups.remove(id: gone.id)
                groupMeters[gone.id] = nil
                problemsStale = true
                sumsStale = true
                if wasSelected { try? loadSessions(now: now) }
            case .session:
                problemsStale = true
                let wasSelected = files.selectedId == gone.id
                files.remove(id: gone.id)
                if wasSelected { try? loadDetails() }
            case .part:
                parts.remove(id: gone.id)
            case .job:
                jobs.remove(id: gone.id)
            }
        }
    }

    /// A session change that may add or remove a problem marks the problems stale.
    private func noteProblem(session: UploadSession, now: Date) {
        let isProblem = session.status == .failed || session.status == .expired
        if isProblem || problems.row(id: session.id) != nil { problemsStale = true }
        if session.status == .pending || session.status == .uploading {
            // If it goes quiet now, it is stalled (a problem) this long after its last activity.
            latestMovingActivity = max(latestMovingActivity ?? session.lastActivityAt, session.lastActivityAt)
            let due = session.lastActivityAt.addingTimeInterval(Self.stallAfter + 0.5)
            if problemsDue.map({ due < $0 }) ?? true { problemsDue = due }
        }
    }

    /// Reads events the database has beyond the last one applied (when the server's stream is
    /// away); reloads everything when too many were missed. Returns whether anything changed.
    @discardableResult
    public func catchUpFromSource(now: Date = Date(), limit: Int = 5_000) throws -> Bool {
        let latest = try source.latestEventId()
        guard latest > lastEventId else { return false }
        let events = try source.events(after: lastEventId, limit: limit)
        if events.count >= limit || (events.first.map { $0.id > lastEventId + 1 } ?? false) {
            try reload(now: now)
        } else {
            apply(events, now: now)
        }
        return true
    }

    /// The bytes per second a group moved recently (noting that it changes while non-zero).
    func groupRate(_ id: String, now: Date) -> Double {
        let rate = groupMeters[id]?.rate(now: now) ?? 0
        if rate > 0 { noteChange(at: now.addingTimeInterval(1)) }
        return rate
    }

    /// The bytes per second a file moved recently.
    func sessionRate(_ id: String, now: Date) -> Double {
        let rate = sessionMeters[id]?.rate(now: now) ?? 0
        if rate > 0 { noteChange(at: now.addingTimeInterval(1)) }
        return rate
    }

    /// The sum of the groups' speeds: what the header shows, equal to the rows' sum.
    func totalRate(now: Date) -> Double {
        var total = 0.0
        for meter in groupMeters.values where meter.lastMovement.map({ now.timeIntervalSince($0) < meter.window }) ?? false {
            total += meter.rate(now: now)
        }
        if total > 0 { noteChange(at: now.addingTimeInterval(1)) }
        return total
    }

    /// Whether a group should be moving but has not for a while.
    func isStalled(_ group: UploadGroup, now: Date) -> Bool {
        let moving = (group.status == .inProgress || group.status == .pending) && group.plannedFiles > group.completedFiles + group.failedFiles
        return moving && stalled(since: group.lastActivityAt, now: now)
    }

    /// Whether a file should be moving but has not for a while.
    func isStalled(_ session: UploadSession, now: Date) -> Bool {
        (session.status == .uploading || session.status == .pending) && stalled(since: session.lastActivityAt, now: now)
    }

    private func stalled(since time: Date, now: Date) -> Bool {
        let at = time.addingTimeInterval(Self.stallAfter)
        if at > now { noteChange(at: at) }
        return at < now
    }
}
