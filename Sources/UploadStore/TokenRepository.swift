import GRDB
import UploadModel

/// Stores API token hashes (token changes are not upload events: they write no event).
public struct TokenRepository {
    let tx: StoreTransaction

    /// Stores a token's hash for `userId`.
    public func insert(_ token: AccessToken) throws {
        try tx.db.execute(
            sql: "INSERT INTO tokens (hash, userId, admin, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [token.hash, token.userId, token.admin, Timestamp.millis(token.createdAt)])
    }

    /// Whether any admin token exists.
    public func hasAdmin() throws -> Bool {
        try Bool.fetchOne(tx.db, sql: "SELECT EXISTS (SELECT 1 FROM tokens WHERE admin)") ?? false
    }
}
