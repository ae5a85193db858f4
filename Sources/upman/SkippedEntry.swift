import UploadClient
import UploadModel

/// Something `upman put` found but does not upload, and why: it is counted and reported, and the
/// run does not exit 0 while anything was left out.
struct SkippedEntry: Sendable, Hashable {
    /// The path, byte for byte.
    let pathBytes: [UInt8]
    /// Why it is not uploaded, e.g. "symbolic link, not followed".
    let reason: String

    /// The path exactly, for JSON: bytes that are not UTF-8 as `%XX` (see `UploadName`).
    var exactPath: String { UploadName.encoded(pathBytes) }

    /// One line for people, safe for a terminal.
    var line: String { TerminalText.escaped("skipped \(UploadName.display(pathBytes)): \(reason)") }
}
