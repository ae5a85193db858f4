import Foundation

/// A stored API token: only the hash of the secret is kept, with the user it acts for.
public struct AccessToken: Sendable, Hashable {
    /// SHA-256 of the token, hex.
    public var hash: String
    /// The user the token acts for.
    public var userId: String
    /// Whether the token sees and acts on every user's uploads.
    public var admin: Bool
    /// When it was created.
    public var createdAt: Date

    /// Creates a token record.
    public init(hash: String, userId: String, admin: Bool, createdAt: Date) {
        self.hash = hash
        self.userId = userId
        self.admin = admin
        self.createdAt = createdAt
    }
}
