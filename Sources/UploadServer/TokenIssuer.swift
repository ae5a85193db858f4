import Crypto
import Foundation
import UploadModel
import UploadStore

/// Makes API tokens and the hashes the database keeps of them.
public enum TokenIssuer {
    /// A new random token, e.g. `upm_…` (40 base-32 characters after the prefix).
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return UploadID.make("upm", using: &generator) + UploadID.make("", using: &generator).dropFirst()
    }

    /// The SHA-256 hex hash under which a token is stored.
    public static func hash(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }

    /// Creates a token for `userId`, stores only its hash, and returns the token.
    public static func create(in store: UploadStore, userId: String, admin: Bool) throws -> String {
        let token = makeToken()
        try store.write(actedBy: "system") { tx in
            try tx.tokens.insert(AccessToken(hash: hash(token), userId: userId, admin: admin, createdAt: tx.now))
        }
        return token
    }

    /// Creates an upload link's token for `userId`: it may create uploads (into groups named
    /// `groupName` only, when given; `maxBytes` in all, when given) and watch them, until
    /// `expiresAt`. Stores only its hash and returns the token.
    public static func createUploadLink(
        in store: UploadStore, userId: String, groupName: String?, expiresAt: Date?, maxBytes: Int64?
    ) throws -> String {
        let token = makeToken()
        try store.write(actedBy: "system") { tx in
            try tx.tokens.insert(AccessToken(
                hash: hash(token), userId: userId, admin: false, createdAt: tx.now, scope: .uploadLink, groupName: groupName,
                expiresAt: expiresAt.map(Timestamp.truncated), maxBytes: maxBytes))
        }
        return token
    }

    /// On first start: creates an admin token and writes it to `file` (mode 0600). Later starts
    /// leave an existing file alone.
    @discardableResult
    public static func ensureAdminToken(in store: UploadStore, file: URL) throws -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty,
            try store.reader.snapshot({ try $0.token(hash: hash(existing)) }) != nil
        {
            return existing
        }
        let token = try create(in: store, userId: "admin", admin: true)
        try SecretFile.write(Data((token + "\n").utf8), to: file)
        return token
    }
}
