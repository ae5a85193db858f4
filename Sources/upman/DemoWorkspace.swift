import Foundation
import UploadServer

/// The temporary folder of one `upman demo` run: the server's data directory, the generated files,
/// and the exec job's hook script with the approval file it waits for.
struct DemoWorkspace {
    /// The whole folder.
    let folder: URL
    /// The server's data directory.
    let data: URL
    /// Where the simulated uploaders generate their files.
    let files: URL
    /// The file whose presence lets the review job succeed.
    let approval: URL
    /// The exec job's command.
    let hook: URL

    /// Creates the folder and writes the hook script.
    init(folder: URL) throws {
        self.folder = folder
        data = folder.appendingPathComponent("data")
        files = folder.appendingPathComponent("files")
        approval = folder.appendingPathComponent("review-approved")
        hook = folder.appendingPathComponent("review-hook.sh")
        for directory in [data, files] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let script = """
            #!/bin/sh
            # upman demo's exec job: files named *needs-review* pass only once the review is approved.
            case "$UPMAN_FILE_NAME" in
              *needs-review*)
                if [ ! -e '\(approval.path)' ]; then
                  echo "review of $UPMAN_FILE_NAME not approved yet" >&2
                  exit 1
                fi ;;
            esac
            echo "ok $(wc -c < "$1") bytes"

            """
        try Data(script.utf8).write(to: hook)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
    }

    /// The embedded server's settings: a free port, sha256, content-type and the review hook as
    /// jobs, and quick job retries so the review job fails for good within seconds.
    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = data
        configuration.jobs = ["sha256", "content-type", "exec"]
        configuration.execCommand = hook.path
        configuration.execTimeout = 10
        configuration.jobMaxAttempts = 2
        configuration.jobBackoff = 0.5
        return configuration
    }
}
