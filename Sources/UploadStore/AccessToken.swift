import Foundation

/// A stored API token: only the hash of the secret is kept, with the user it acts for and what it
/// may do.
public struct AccessToken: Sendable, Hashable {
    /// SHA-256 of the token, hex.
    public var hash: String
    /// The user the token acts for.
    public var userId: String
    /// Whether the token sees and acts on every user's uploads.
    public var admin: Bool
    /// When it was created.
    public var createdAt: Date
    /// What it may be used for (default ``TokenScope/api``).
    public var scope: TokenScope
    /// For an upload link: the only group its uploads may go into, by name; nil: any group.
    public var groupName: String?
    /// When it stops being accepted; nil: never.
    public var expiresAt: Date?
    /// For an upload link: the most bytes its uploads may hold in all; nil: no limit.
    public var maxBytes: Int64?
    /// For an upload link: the bytes of the uploads it has initiated so far.
    public var usedBytes: Int64

    /// Creates a token record.
    public init(
        hash: String, userId: String, admin: Bool, createdAt: Date, scope: TokenScope = .api, groupName: String? = nil,
        expiresAt: Date? = nil, maxBytes: Int64? = nil, usedBytes: Int64 = 0
    ) {
        self.hash = hash
        self.userId = userId
        self.admin = admin
        self.createdAt = createdAt
        self.scope = scope
        self.groupName = groupName
        self.expiresAt = expiresAt
        self.maxBytes = maxBytes
        self.usedBytes = usedBytes
    }
}
