/// What a token may be used for.
public enum TokenScope: String, Sendable, Hashable, Codable {
    /// A user's or an admin's API token: every controller action its `admin` flag allows.
    case api
    /// An upload link's token (`upman token create --upload-link`): may create uploads, optionally
    /// only into one named group and up to a number of bytes, and watch them; nothing else.
    case uploadLink
    /// A short-lived token for `GET /api/v1/events?access_token=` (a browser's EventSource cannot
    /// set headers): reads its user's feed, nothing else.
    case events
}
