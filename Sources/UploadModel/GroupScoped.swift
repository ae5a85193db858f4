/// Something kept in the upload lifecycle under an id and within one group: a group (its own),
/// a session, a part, a job, or what an event says is left of a deleted one.
public protocol GroupScoped: Encodable, Sendable {
    /// Its id.
    var id: String { get }
    /// The id of the group it belongs to.
    var groupId: String { get }
}

extension UploadGroup: GroupScoped {
    /// A group belongs to itself.
    public var groupId: String { id }
}

extension UploadSession: GroupScoped {}
extension FilePart: GroupScoped {}
extension ProcessingJob: GroupScoped {}
extension DeletedEntity: GroupScoped {}
