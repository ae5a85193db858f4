import Foundation
import HTTPTypes
import Synchronization
import UploadModel
import UploadStore

/// Turns `Authorization: Bearer TOKEN` into a ``Principal``, caching known token hashes.
public final class Authenticator: Sendable {
    private let reader: UploadReader
    private let cache = Mutex<[String: Principal]>([:])

    /// Creates an authenticator over the token table.
    public init(reader: UploadReader) {
        self.reader = reader
    }

    /// The principal of a request, or a 401 error.
    public func authenticate(_ headers: HTTPFields) async throws -> Principal {
        guard let value = headers[.authorization] else {
            throw UploadError(.unauthorized, "missing Authorization: Bearer TOKEN")
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw UploadError(.unauthorized, "Authorization must be: Bearer TOKEN")
        }
        return try await principal(forToken: String(parts[1]).trimmingCharacters(in: .whitespaces))
    }

    /// The principal a token stands for, or a 401 error (unknown or expired).
    public func principal(forToken token: String) async throws -> Principal {
        let hash = TokenIssuer.hash(token)
        let principal: Principal
        if let known = cache.withLock({ $0[hash] }) {
            principal = known
        } else {
            guard let stored = try await reader.token(hash: hash) else {
                throw UploadError(.unauthorized, "unknown token")
            }
            principal = Principal(stored)
            // An events token opens one stream and is replaced every few minutes: cached, they
            // would pile up for the life of the process.
            if principal.scope != .events { cache.withLock { $0[hash] = principal } }
        }
        if let expiresAt = principal.expiresAt, expiresAt <= Date() {
            throw UploadError(.unauthorized, "the token expired at \(Timestamp.format(expiresAt))")
        }
        return principal
    }

    /// The principal of an `access_token` query parameter: only an events token is taken there
    /// (a token in a URL ends up in logs and history; an events token lives minutes and reads
    /// one user's feed), else 401.
    public func principal(forQueryToken token: String) async throws -> Principal {
        let principal = try await principal(forToken: token)
        guard principal.scope == .events else {
            throw UploadError(.unauthorized, "access_token takes only an events token ({\"action\":\"eventsToken\"}); send other tokens as Authorization: Bearer")
        }
        return principal
    }
}
