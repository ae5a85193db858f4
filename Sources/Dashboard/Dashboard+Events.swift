import Foundation
import UploadModel

extension Dashboard {
    /// Applies committed changes (from the SSE feed or the database's event log) in id order;
    /// events already applied are skipped, so both paths can overlap safely.
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
        switch change {
        case .group(let group):
            var meter = groupMeters[group.id] ?? RateMeter()
            let before = meter.value
            meter.record(value: group.bytesUploaded, at: time)
            groupMeters[group.id] = meter
            if let before, group.bytesUploaded > before { throughput.add(group.bytesUploaded - before, at: time) }
            groupsById[group.id] = group
            groupsDirty = true
            if selectedGroupId == nil { selectedGroupId = group.id; try? loadSessions(now: now) }
        case .session(let session):
            sessionMeters[session.id, default: RateMeter()].record(value: session.bytesUploaded, at: time)
            if sessionMeters.count > 100_000 { sessionMeters = sessionMeters.filter { $0.value.lastMovement.map { now.timeIntervalSince($0) < 60 } ?? false } }
            guard session.groupId == selectedGroupId else { return }
            if let index = sessions.firstIndex(where: { $0.id == session.id }) {
                sessions[index] = session
            } else {
                sessions.append(session)
            }
            sessionsDirty = true
            if selectedSessionId == nil { selectedSessionId = session.id; try? loadDetails() }
        case .part(let part):
            guard part.sessionId == selectedSessionId else { return }
            if part.partNumber >= 1, part.partNumber <= parts.count, parts[part.partNumber - 1].partNumber == part.partNumber {
                parts[part.partNumber - 1] = part
            } else if let index = parts.firstIndex(where: { $0.partNumber == part.partNumber }) {
                parts[index] = part
            } else {
                parts.append(part)
                parts.sort { $0.partNumber < $1.partNumber }
            }
            partsDirty = true
        case .job(let job):
            guard job.sessionId == selectedSessionId else { return }
            if let index = jobs.firstIndex(where: { $0.id == job.id }) {
                jobs[index] = job
            } else {
                jobs.append(job)
            }
            jobsDirty = true
        case .deleted(let gone):
            switch gone.kind {
            case .group:
                groupsById[gone.id] = nil
                groupMeters[gone.id] = nil
                groupsDirty = true
                if selectedGroupId == gone.id {
                    selectedGroupId = nil
                    selectedSessionId = nil
                    sessions = []
                    sessionsDirty = true
                    selectedGroupId = orderedGroups().first?.id
                    try? loadSessions(now: now)
                }
            case .session:
                guard let index = sessions.firstIndex(where: { $0.id == gone.id }) else { return }
                sessions.remove(at: index)
                sessionsDirty = true
                if selectedSessionId == gone.id {
                    selectedSessionId = orderedSessions().first?.id
                    try? loadDetails()
                }
            case .part:
                parts.removeAll { $0.id == gone.id }
                partsDirty = true
            case .job:
                jobs.removeAll { $0.id == gone.id }
                jobsDirty = true
            }
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

    /// The bytes per second a group moved recently.
    func groupRate(_ id: String, now: Date) -> Double {
        groupMeters[id]?.rate(now: now) ?? 0
    }

    /// The bytes per second a file moved recently.
    func sessionRate(_ id: String, now: Date) -> Double {
        sessionMeters[id]?.rate(now: now) ?? 0
    }

    /// Whether a group should be moving but has not for a while.
    func isStalled(_ group: UploadGroup, now: Date) -> Bool {
        (group.status == .inProgress || group.status == .pending) && group.totalFiles > group.completedFiles
            && now.timeIntervalSince(group.lastActivityAt) > Self.stallAfter
    }

    /// Whether a file should be moving but has not for a while.
    func isStalled(_ session: UploadSession, now: Date) -> Bool {
        (session.status == .uploading || session.status == .pending) && now.timeIntervalSince(session.lastActivityAt) > Self.stallAfter
    }
}
