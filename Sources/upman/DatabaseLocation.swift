import ArgumentParser
import Foundation
import UploadStore

/// `--data DIR` / `--db PATH|URL`: where a command finds the upman database.
struct DatabaseLocation: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory (database DIR/upman.db).")
    var dataDirectory: String = "./upman-data"

    @Option(name: .customLong("db"), help: "Database file, or a postgres:// URL; overrides --data (env UPMAN_DB).")
    var databasePath: String?

    /// The database: the SQLite file's path or the PostgreSQL URL (`--db`, else `UPMAN_DB`, else
    /// `DATA/upman.db`).
    var path: String {
        databasePath ?? Self.environment ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("upman.db").path
    }

    /// Whether the database is PostgreSQL.
    var isPostgres: Bool { DatabaseURL.isPostgres(path) }

    /// The database as people may see it (a URL's password masked).
    var displayed: String { DatabaseURL(path)?.redacted ?? path }

    private static var environment: String? {
        ProcessInfo.processInfo.environment["UPMAN_DB"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
