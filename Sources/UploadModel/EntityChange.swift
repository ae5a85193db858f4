import Foundation

/// A typed change to one entity: what the event log records and the SSE feed carries.
public enum EntityChange: Sendable, Hashable {
    /// A group's new state.
    case group(UploadGroup)
    /// A session's new state.
    case session(UploadSession)
    /// A part's new state.
    case part(FilePart)
    /// A job's new state.
    case job(ProcessingJob)
    /// An entity was deleted.
    case deleted(DeletedEntity)

    /// The kind of the changed entity.
    public var entityKind: EntityKind {
        switch self {
        case .group: .group
        case .session: .session
        case .part: .part
        case .job: .job
        case .deleted(let gone): gone.kind
        }
    }

    /// The changed entity, or what is left of a deleted one.
    public var entity: any GroupScoped {
        switch self {
        case .group(let group): group
        case .session(let session): session
        case .part(let part): part
        case .job(let job): job
        case .deleted(let gone): gone
        }
    }

    /// The changed entity's id.
    public var entityId: String { entity.id }

    /// The group the change belongs to.
    public var groupId: String { entity.groupId }

    /// The entity's JSON, as the SSE `data:` line carries it.
    public func json() throws -> String {
        try UploadJSON.string(entity)
    }

    /// Decodes a change from an event's kind and JSON.
    public static func decode(kind: EventKind, json: String) throws -> EntityChange {
        let decoder = UploadJSON.decoder()
        let data = Data(json.utf8)
        // Only a deletion's body says `"deleted":true`; others are decoded once, as their entity.
        if json.contains("\"deleted\""), let gone = try? decoder.decode(DeletedEntity.self, from: data), gone.deleted {
            return .deleted(gone)
        }
        switch kind {
        case .group: return .group(try decoder.decode(UploadGroup.self, from: data))
        case .session: return .session(try decoder.decode(UploadSession.self, from: data))
        case .part: return .part(try decoder.decode(FilePart.self, from: data))
        case .job: return .job(try decoder.decode(ProcessingJob.self, from: data))
        case .reset: throw UploadError(.badRequest, "a reset event carries no entity")
        }
    }
}
