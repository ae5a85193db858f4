import ArgumentParser
import Foundation
import UploadModel
import UploadStore

/// `upman migrate-db`: copies a database (a SQLite file, as a rule) into an empty PostgreSQL one,
/// keeping every id, then checks the copy.
struct MigrateDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-db",
        abstract: "Copy a database into another, empty one (e.g. upman.db into PostgreSQL), then check the copy.",
        discussion: "Stop every `upman serve` using the source first: the copy is of one snapshot.")

    @Option(help: "The database to copy: a SQLite file or a postgres:// URL.")
    var from: String

    @Option(help: "The empty database to copy into: a postgres:// URL or a SQLite file (created).")
    var to: String

    func run() throws {
        guard DatabaseURL.isPostgres(from) || FileManager.default.fileExists(atPath: from) else {
            throw CLIError("no database at \(from)")
        }
        let shown = DatabaseURL(to)?.redacted ?? to
        do {
            let source = try UploadStore.open(from)
            let target = try UploadStore.open(to)
            let started = Date()
            let report = try StoreCopier.copy(from: source, to: target)
            let problems = try target.reader.snapshot { try $0.audit() }
            for (table, count) in report.rows.sorted(by: { $0.key < $1.key }) {
                print("\(table): \(count) rows")
            }
            guard problems.isEmpty else {
                for problem in problems { print("problem: \(TerminalText.escaped(problem))") }
                throw CLIError("the copy in \(shown) has \(problems.count) problem(s)")
            }
            print(String(format: "copied into %@ in %.1f s; check: ok", shown, Date().timeIntervalSince(started)))
            if target.isShared, !source.isShared { print(try Self.moveSigningKey(besides: from, into: target)) }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot copy \(DatabaseURL(from)?.redacted ?? from) into \(shown): \(error)")
        }
    }

    /// Moves the URL signing key of the data directory holding the SQLite file `path` into the
    /// shared database, so a URL signed before the move is still accepted by every instance after
    /// it; answers the line that says what happened.
    static func moveSigningKey(besides path: String, into target: UploadStore) throws -> String {
        let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("signing.key")
        let shown = TerminalText.escaped(file.path)
        guard let key = try? Data(contentsOf: file), !key.isEmpty else {
            return "signing key: none at \(shown); the instances make a new one, and URLs signed before the move must be signed again"
        }
        let shared = try target.sharedSecret("signing.key") { key }
        return shared == key
            ? "signing key: moved from \(shown); URLs signed before the move still hold"
            : "signing key: the target already had one; URLs signed before the move must be signed again"
    }
}
