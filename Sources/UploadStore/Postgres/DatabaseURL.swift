import Foundation

/// A PostgreSQL connection URL (`postgres://user:password@host:port/database`, also
/// `postgresql://`; libpq's URI form, PostgreSQL docs §34.1.1). Only TCP with a host; `sslmode`
/// is `disable` (the default here) or `require`.
public struct DatabaseURL: Sendable, Equatable {
    /// The host name or address.
    public var host: String
    /// The port (5432 unless given).
    public var port: Int
    /// The role to connect as.
    public var user: String
    /// The role's password, if any.
    public var password: String?
    /// The database (the user's name unless given).
    public var database: String
    /// Whether TLS is required (`?sslmode=require`).
    public var requireTLS: Bool

    /// Parses `text`; nil when it is not a `postgres://` or `postgresql://` URL (a SQLite path).
    public init?(_ text: String) {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let components = URLComponents(string: text), let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        port = components.port ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let name = String(components.path.drop { $0 == "/" })
        database = name.isEmpty ? user : (name.removingPercentEncoding ?? name)
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        requireTLS = mode == "require" || mode == "verify-ca" || mode == "verify-full"
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The URL with its password masked, for logs, banners and errors.
    public var redacted: String {
        let credentials = user + (password == nil ? "" : ":***")
        return "postgres://\(credentials)@\(host):\(port)/\(database)"
    }
}
