import UploadClient
import UploadModel

/// How an `upman put` run ended, from the final state of each file (a file retried to success
/// counts once, as completed) and what was skipped before it began.
struct PutSummary {
    /// The run's outcome.
    let outcome: UploadOutcome
    /// The files, in the outcome's order (for their names and sizes).
    let files: [LocalFile]
    /// Entries skipped while collecting the files.
    let skipped: Int
    /// Bytes this run sent.
    let sentBytes: Int64

    /// Files COMPLETED.
    var completed: Int { outcome.files.count { $0.state == .completed } }
    /// Files not COMPLETED (failed or cancelled).
    var notCompleted: Int { outcome.files.count - completed }
    /// Bytes of the COMPLETED files.
    var completedBytes: Int64 {
        zip(outcome.files, files).reduce(Int64(0)) { $0 + ($1.0.state == .completed ? $1.1.size : 0) }
    }
    /// Whether the run may exit 0: every file COMPLETED and nothing skipped.
    var succeeded: Bool { notCompleted == 0 && skipped == 0 }

    /// The line for people, e.g. `group grp_…: 3/5 files completed (1.2 MiB), 2 not completed, 1 skipped; 1.0 MiB sent`.
    var line: String {
        var text = "group \(outcome.groupId): \(completed)/\(outcome.files.count) files completed (\(ByteFormat.size(completedBytes)))"
        if notCompleted > 0 { text += ", \(notCompleted) not completed" }
        if skipped > 0 { text += ", \(skipped) skipped" }
        return TerminalText.escaped(text + "; \(ByteFormat.size(sentBytes)) sent")
    }

    /// One line per file that did not complete, and one about skipped entries, for standard error.
    var problems: [String] {
        var lines = zip(outcome.files, files).filter { $0.0.state != .completed }.map { result, file in
            TerminalText.escaped("\(file.displayName): \(result.state.rawValue): \(result.reason ?? "")")
        }
        if skipped > 0 { lines.append("\(skipped) \(skipped == 1 ? "entry was" : "entries were") skipped (listed above): the upload is not complete") }
        return lines
    }

    /// The summary as the last JSON line; `resume` is the command that resumes, when one can.
    func jsonObject(resume: String?) -> [String: Any] {
        var object: [String: Any] = [
            "event": "summary", "groupId": outcome.groupId, "files": outcome.files.count, "completed": completed,
            "failed": notCompleted, "skipped": skipped, "bytes": completedBytes, "bytesSent": sentBytes,
        ]
        if let resume { object["resumeCommand"] = resume }
        return object
    }
}
