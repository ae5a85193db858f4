import ArgumentParser
import Foundation

/// `--data DIR` / `--db PATH`: where a command finds the upman database.
struct DatabaseLocation: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory (database DIR/upman.db).")
    var dataDirectory: String = "./upman-data"

    @Option(name: .customLong("db"), help: "Database file; overrides --data.")
    var databasePath: String?

    /// The database file's path.
    var path: String {
        databasePath ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("upman.db").path
    }
}
