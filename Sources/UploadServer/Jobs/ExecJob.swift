import Foundation
import UploadModel

/// `exec`: the operator's command, run with the stored file's path; its exit status decides.
struct ExecJob: JobKind {
    let name = "exec"
    let summary = "Runs `exec_command` with the stored file's path as its argument and UPMAN_SESSION_ID, UPMAN_GROUP_ID, UPMAN_FILE_NAME, UPMAN_OBJECT_KEY set; exit status 0 passes, any other fails (retried), and `exec_timeout` stops its process group (SIGTERM, then SIGKILL)."
    let records = "what the command printed (the last 4 KiB of stdout; on failure stderr follows `--- stderr ---`)"
    let needs: String? = "`exec_command`; `exec_timeout` (default 30s)"

    func problem(in configuration: ServerConfiguration) -> String? {
        (configuration.execCommand ?? "").isEmpty ? "the exec job needs exec_command (--exec-command or UPMAN_EXEC_COMMAND)" : nil
    }

    func run(_ context: JobContext) async throws -> JobOutcome {
        let session = context.session
        let timeout = context.configuration.execTimeout
        guard let command = context.configuration.execCommand, !command.isEmpty else {
            return .failed(ErrorDetail(code: "execNotConfigured", message: "no exec command is configured"), retryable: false)
        }
        let file = try await context.storage.localFile(key: session.objectKey)
        defer { if file.temporary { try? FileManager.default.removeItem(at: file.url) } }
        let result = try await CommandRunner.run(
            command: command, arguments: [file.url.path],
            environment: ["UPMAN_SESSION_ID": session.id, "UPMAN_GROUP_ID": session.groupId,
                          "UPMAN_FILE_NAME": session.fileName, "UPMAN_OBJECT_KEY": session.objectKey],
            timeout: timeout)
        let printed = result.stderr.isEmpty ? result.stdout
            : result.stdout + (result.stdout.isEmpty || result.stdout.hasSuffix("\n") ? "" : "\n") + "--- stderr ---\n" + result.stderr
        if result.timedOut {
            return .failed(ErrorDetail(code: "execTimeout", message: "\(command) ran longer than \(Int(timeout)) s and was stopped"),
                           retryable: true, output: printed)
        }
        guard result.status == 0 else {
            let tail = result.stderr.isEmpty ? result.stdout : result.stderr
            return .failed(ErrorDetail(code: "execFailed", message: "\(command) exited with status \(result.status): \(tail)"),
                           retryable: true, output: printed)
        }
        return .succeeded(output: result.stdout)
    }
}
