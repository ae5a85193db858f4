import Foundation
import UploadModel
import UploadStore

/// Who a request acts for: a user, or an admin (operator) who sees every user's uploads; and, for
/// an upload link or an events token, the narrower things its token may do.
public struct Principal: Sendable, Hashable {
    /// The user the token belongs to.
    public var userId: String
    /// Whether the token is an admin token.
    public var isAdmin: Bool
    /// What the token may be used for.
    public var scope = TokenScope.api
    /// For an upload link: the only group its uploads may go into, by name.
    public var groupName: String?
    /// When the token stops being accepted.
    public var expiresAt: Date?
    /// For an upload link: the hash of its token, whose byte allowance `initiate` charges; nil
    /// when the link has no limit.
    public var chargedToken: String?

    /// Creates an API token's principal.
    public init(userId: String, isAdmin: Bool) {
        self.userId = userId
        self.isAdmin = isAdmin
    }

    /// The principal a stored token stands for.
    public init(_ token: AccessToken) {
        self.init(userId: token.userId, isAdmin: token.admin && token.scope == .api)
        scope = token.scope
        groupName = token.groupName
        expiresAt = token.expiresAt
        chargedToken = token.maxBytes == nil ? nil : token.hash
    }

    /// Whether this principal may see and act on `group`: one of its owner's (or any, for an admin)
    /// and, for a token bound to a group name (an upload link, or an events token one made), of
    /// that name.
    public func canAccess(_ group: UploadGroup) -> Bool {
        canAccess(owner: group.userId) && (groupName == nil || group.name == groupName)
    }

    /// Whether this principal may see and act on `session`, whose group is `group` (needed only
    /// when the principal is bound to a group name: ``needsGroupOfSession``).
    public func canAccess(_ session: UploadSession, in group: UploadGroup?) -> Bool {
        canAccess(owner: session.userId) && (groupName == nil || group?.name == groupName)
    }

    /// Whether ``canAccess(_:in:)`` needs a session's group, not only the session.
    public var needsGroupOfSession: Bool { groupName != nil }

    /// Whether this principal may see and act on uploads owned by `owner`.
    public func canAccess(owner: String) -> Bool {
        isAdmin || owner == userId
    }

    /// The name recorded as `actedBy` on what this principal changes.
    public var actor: String {
        if isAdmin { return "admin:\(userId)" }
        return scope == .uploadLink ? "\(userId) (upload link)" : userId
    }
}
