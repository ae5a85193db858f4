import TestSupport
import Foundation
import UploadModel
import UploadStore

/// Watches a server's database from a thread of its own and signals a process the moment the
/// parts of the database's first session meet a condition: a test's way to act at an exact point
/// of an upload (stop it, interrupt it) however slow or busy the machine is, since nothing waits
/// on the cooperative pool or on a terminal in between.
enum PartWatch {
    /// Sends `signal` to the process whose id `pidFile` holds once `condition` holds for the parts
    /// of the first session in `database`; returns the parts it saw then, or nil when that never
    /// happened within `seconds`, the process ended first, or every part was already uploaded (the
    /// upload passed its end between two looks: no moment mid-upload is left to act at).
    static func signal(
        _ signal: Int32, pidFile: String, database: String, seconds: Double = 120,
        when condition: @escaping @Sendable ([FilePart]) -> Bool
    ) async throws -> [FilePart]? {
        try await self.signal(signal, pid: { pid(in: pidFile) }, database: database, seconds: seconds, when: condition)
    }

    /// The process id a `recordingPID` command wrote, once it has.
    static func pid(in pidFile: String) -> Int32? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Sends `signal` to the process `pid` names (nil while not known yet) once `condition` holds
    /// for the parts of the first session in `database`.
    static func signal(
        _ signal: Int32, pid: @escaping @Sendable () -> Int32?, database: String, seconds: Double = 120,
        when condition: @escaping @Sendable ([FilePart]) -> Bool
    ) async throws -> [FilePart]? {
        try await offPool {
            let deadline = Date().addingTimeInterval(seconds)
            var store: UploadReader?
            while Date() < deadline {
                if store == nil, FileManager.default.fileExists(atPath: database) { store = try? UploadReader.open(path: database) }
                if let store, let pid = pid(), let group = try store.snapshot({ try $0.groups(GroupQuery()) }).first,
                   let session = try store.snapshot({ try $0.sessions(SessionQuery(groupId: group.id)) }).first {
                    let parts = try store.snapshot { try $0.parts(sessionId: session.id) }
                    if condition(parts) {
                        kill(pid, signal)
                        return parts
                    }
                    if !parts.isEmpty, parts.allSatisfy({ $0.status == .uploaded }) { return nil }
                    // The process has ended (and been reaped) without the condition: it never will.
                    if kill(pid, 0) != 0, errno == ESRCH { return nil }
                }
                usleep(20_000)
            }
            return nil
        }
    }

    /// Runs `run` until it returns true, at most `attempts` times: for a test that acts at a moment
    /// of an upload seen from a polling thread, which on a busy machine may pass between two looks.
    /// `run` gets whether its attempt is the last (where a missed moment is a failure) and returns
    /// false, having checked nothing, when it missed the moment.
    static func untilCaught(attempts: Int = 3, _ run: (_ isLast: Bool) async throws -> Bool) async throws {
        for attempt in 1...attempts {
            if try await run(attempt == attempts) { return }
        }
    }

    /// A shell command that writes its process id to `pidFile` and then becomes `command`.
    static func recordingPID(_ pidFile: String, _ command: String) -> String {
        "sh -c 'echo $$ > \(pidFile); exec \"$0\" \"$@\"' \(command)"
    }
}
