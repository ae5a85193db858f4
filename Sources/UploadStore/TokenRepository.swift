import Foundation
import GRDB
import UploadModel

/// Stores API token hashes (token changes are not upload events: they write no event).
public struct TokenRepository {
    let tx: StoreTransaction

    /// Stores a token's hash for `userId`.
    public func insert(_ token: AccessToken) throws {
        try tx.db.execute(
            sql: """
                INSERT INTO tokens (hash, userId, admin, createdAt, scope, groupName, expiresAt, maxBytes, usedBytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                token.hash, token.userId, token.admin, Timestamp.millis(token.createdAt), token.scope.rawValue, token.groupName,
                Timestamp.millis(token.expiresAt), token.maxBytes, token.usedBytes,
            ])
    }

    /// Adds `bytes` to an upload link's `usedBytes` when that stays within its `maxBytes`.
    ///
    /// - Returns: whether it fit (always, for a token without a limit).
    public func charge(_ hash: String, bytes: Int64) throws -> Bool {
        try tx.db.execute(
            sql: "UPDATE tokens SET usedBytes = usedBytes + ? WHERE hash = ? AND (maxBytes IS NULL OR usedBytes + ? <= maxBytes)",
            arguments: [bytes, hash, bytes])
        return tx.db.changesCount > 0
    }

    /// Removes the tokens that expired before `date`; answers how many.
    @discardableResult
    public func deleteExpired(before date: Date) throws -> Int {
        try tx.db.execute(sql: "DELETE FROM tokens WHERE expiresAt IS NOT NULL AND expiresAt < ?", arguments: [Timestamp.millis(date)])
        return tx.db.changesCount
    }

    /// Whether any admin token exists.
    public func hasAdmin() throws -> Bool {
        try Bool.fetchOne(tx.db, sql: "SELECT EXISTS (SELECT 1 FROM tokens WHERE admin)") ?? false
    }
}
