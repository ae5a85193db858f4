/// Thrown inside a session's creation transaction when it was to make a group of a name that, by
/// then, the caller's latest group has (another instance made it since the name was looked up);
/// the creation is rolled back and tried again in that group.
struct GroupNameTaken: Error {
    /// The group that has the name now.
    var groupId: String
}
