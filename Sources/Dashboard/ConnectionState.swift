/// How the dashboard hears about changes.
public enum ConnectionState: Sendable, Hashable {
    /// Not yet connected to the server's event stream.
    case connecting
    /// Following the server's event stream.
    case live
    /// The stream dropped; reconnecting (`attempt` counts tries) while the database is watched.
    case reconnecting(attempt: Int, reason: String)
    /// No server to follow: changes come from watching the database.
    case databaseOnly

    /// The header's words for the state.
    public var label: String {
        switch self {
        case .connecting: "connecting…"
        case .live: "● live"
        case .reconnecting(let attempt, _): "◌ reconnecting (attempt \(attempt))"
        case .databaseOnly: "◌ database only"
        }
    }
}
