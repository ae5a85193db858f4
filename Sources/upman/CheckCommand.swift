import ArgumentParser
import Foundation
import UploadModel
import UploadStore

/// `upman check`: opens a database read-only and checks its integrity (SQLite's check; that a
/// PostgreSQL database answers) and upman's invariants.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a database (SQLite file or PostgreSQL): integrity, counters against rows, event log without gaps.")

    @OptionGroup var location: DatabaseLocation

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        let reader: UploadReader
        do {
            reader = try UploadReader.open(location: location.path)
        } catch {
            throw CLIError("\(error)")
        }
        let (integrity, problems, totals) = try reader.snapshot { snapshot in
            (try snapshot.integrityCheck(), try snapshot.audit(), try snapshot.totals())
        }
        let ok = integrity == "ok" && problems.isEmpty
        if json {
            let result: [String: Any] = [
                "ok": ok, "integrity": integrity, "problems": problems,
                "groups": totals.groups.values.reduce(0, +), "sessions": totals.sessions.values.reduce(0, +),
                "latestEventId": totals.latestEventId,
            ]
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("integrity: \(integrity)")
            print("groups: \(totals.groups.values.reduce(0, +)), files: \(totals.sessions.values.reduce(0, +)), latest event: \(totals.latestEventId)")
            for problem in problems { print("problem: \(TerminalText.escaped(problem))") }
            print(ok ? "ok" : "\(problems.count) problem(s)")
        }
        if !ok { throw ExitCode(1) }
    }
}
