import NIOFileSystem
import UploadClient

/// The command that continues an upload run where it stopped: the same paths (their exact bytes,
/// quoted for a shell) and the flags that say where and how, then `--resume ID` last.
struct ResumeCommand: Sendable {
    /// The paths as given.
    let paths: [FilePath]
    /// Flags to repeat, each already one word (`--server`, its URL, …); never the token.
    let flags: [String]

    /// The whole command, safe to print to a terminal and to paste into a shell.
    func text(resuming id: String) -> String {
        (["upman", "put"] + paths.map { ShellWord.quote($0.bytes) } + flags.map(ShellWord.quote) + ["--resume", ShellWord.quote(id)])
            .joined(separator: " ")
    }
}
