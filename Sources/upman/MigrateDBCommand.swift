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
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot copy \(DatabaseURL(from)?.redacted ?? from) into \(shown): \(error)")
        }
    }
}
