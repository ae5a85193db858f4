import Foundation
import UploadModel
import UploadStore

extension SessionController {
    /// How long an events token lives (minutes: it sits in a URL).
    static let eventsTokenLifetime: TimeInterval = 600

    /// `eventsToken`: a short-lived token for `GET /api/v1/events?access_token=`, which reads the
    /// caller's own uploads and nothing else (an admin's too: a URL is no place for an admin's
    /// reach). One made by an upload link bound to a group reads only that group's uploads, and
    /// expires with the link when that comes first.
    func eventsToken(_ request: ControllerRequest.EventsToken, _ principal: Principal) async throws -> EventsTokenAnswer {
        let token = TokenIssuer.makeToken()
        let lifetime = Date().addingTimeInterval(Self.eventsTokenLifetime)
        let expiresAt = Timestamp.truncated(principal.expiresAt.map { min($0, lifetime) } ?? lifetime)
        try await store.transaction(actedBy: principal.actor) { tx in
            try tx.tokens.insert(AccessToken(
                hash: TokenIssuer.hash(token), userId: principal.userId, admin: false, createdAt: tx.now, scope: .events,
                groupName: principal.groupName, expiresAt: expiresAt))
        }
        return EventsTokenAnswer(token: token, expiresAt: expiresAt)
    }

    /// 403 unless an upload link bound to a group uploads into a group of that name; `name` is the
    /// target group's (nil: `initiate` would make a new group, named after its file).
    func checkLinkGroup(named name: String?, _ principal: Principal) throws {
        guard principal.scope == .uploadLink, let bound = principal.groupName, bound != name else { return }
        throw UploadError(.forbidden, "this upload link uploads into the group \(bound.debugDescription) only")
    }

    /// Charges `bytes` of new uploads to an upload link's allowance in `tx`: 403 `quotaExceeded`
    /// when they do not fit (the transaction then records nothing).
    func chargeLink(_ bytes: Int64, _ principal: Principal, in tx: StoreTransaction) throws {
        guard let hash = principal.chargedToken, bytes > 0 else { return }
        guard try tx.tokens.charge(hash, bytes: bytes) else {
            throw UploadError(.quotaExceeded, "this upload link's byte allowance does not hold \(bytes) more bytes")
        }
    }
}
