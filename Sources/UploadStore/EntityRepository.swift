import UploadModel

/// A repository of one kind of entity kept in one table under its `id` (groups, sessions, jobs):
/// finding one, or failing with `notFound`, is written once here.
public protocol EntityRepository {
    /// The entity the repository keeps.
    associatedtype Entity: SQLRecord
    /// The write transaction it acts in.
    var tx: StoreTransaction { get }
    /// What a `notFound` message calls the entity (`no group grp_…`).
    static var noun: String { get }
}

extension EntityRepository {
    /// The entity with `id`, if any.
    public func find(_ id: String) throws -> Entity? {
        try tx.db.record(key: id)
    }

    /// The entity with `id`, or a `notFound` error.
    public func get(_ id: String) throws -> Entity {
        guard let entity = try find(id) else { throw UploadError(.notFound, "no \(Self.noun) \(id)") }
        return entity
    }
}
