import Foundation
import UploadModel

/// Stores API token hashes (token changes are not upload events: they write no event).
public struct TokenRepository {
    let tx: StoreTransaction

    /// Stores a token's hash for `userId`.
    public func insert(_ token: AccessToken) throws {
        try tx.db.execute(
            """
                INSERT INTO tokens (hash, userId, admin, createdAt, scope, groupName, expiresAt, maxBytes, usedBytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                token.hash, token.userId, token.admin, Timestamp.millis(token.createdAt), token.scope.rawValue, token.groupName,
                Timestamp.millis(token.expiresAt), token.maxBytes, token.usedBytes,
            ])
    }

    /// Adds `bytes` to an upload link's `usedBytes` when that stays within its `maxBytes`.
    ///
    /// - Returns: whether it fit (always, for a token without a limit).
    public func charge(_ hash: String, bytes: Int64) throws -> Bool {
        try tx.db.execute(
            "UPDATE tokens SET usedBytes = usedBytes + ? WHERE hash = ? AND (maxBytes IS NULL OR usedBytes + ? <= maxBytes)",
            [bytes, hash, bytes]) > 0
    }

    /// Removes the tokens that expired before `date`; answers how many.
    @discardableResult
    public func deleteExpired(before date: Date) throws -> Int {
        try tx.db.execute("DELETE FROM tokens WHERE expiresAt IS NOT NULL AND expiresAt < ?", [Timestamp.millis(date)])
    }

    /// Whether any admin token exists.
    public func hasAdmin() throws -> Bool {
        try tx.db.scalar("SELECT EXISTS (SELECT 1 FROM tokens WHERE admin)") ?? false
    }
}
