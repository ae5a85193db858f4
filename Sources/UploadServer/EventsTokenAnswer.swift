import Foundation

/// The answer to `eventsToken`: a token for `GET /api/v1/events?access_token=` that reads the
/// caller's feed and nothing else, until `expiresAt` (OpenAPI `EventsTokenResponse`).
struct EventsTokenAnswer: Encodable, Sendable {
    /// The token.
    var token: String
    /// When it stops being accepted (a stream opened before then stays open).
    var expiresAt: Date
}
