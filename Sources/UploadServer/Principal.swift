/// Who a request acts for: a user, or an admin (operator) who sees every user's uploads.
public struct Principal: Sendable, Hashable {
    /// The user the token belongs to.
    public var userId: String
    /// Whether the token is an admin token.
    public var isAdmin: Bool

    /// Creates a principal.
    public init(userId: String, isAdmin: Bool) {
        self.userId = userId
        self.isAdmin = isAdmin
    }

    /// Whether this principal may see and act on uploads owned by `owner`.
    public func canAccess(owner: String) -> Bool {
        isAdmin || owner == userId
    }

    /// The name recorded as `actedBy` on what this principal changes.
    public var actor: String { isAdmin ? "admin:\(userId)" : userId }
}
