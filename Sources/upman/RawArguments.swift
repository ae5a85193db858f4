import NIOFileSystem
import UploadClient

/// The paths of a command line as the bytes the shell passed. Swift decodes `argv` into
/// `String`s, replacing bytes that are not UTF-8 with U+FFFD (`caf\xE9.txt` arrives as
/// `caf�.txt`, a file that does not exist); this finds each parsed path's own bytes again.
enum RawArguments {
    /// `argv` after the program's name, byte for byte.
    static var current: [[UInt8]] {
        (1..<Int(CommandLine.argc)).compactMap { index in
            CommandLine.unsafeArgv[index].map { FilePath.bytes(of: $0) }
        }
    }

    /// The path each of `parsed` names: the raw argument that is exactly it, else the first unused
    /// one that decodes to it, else its own UTF-8. `raw` is `argv` after the program's name.
    static func locations(for parsed: [String], raw: [[UInt8]] = current) -> [FilePath] {
        var used = Set<Int>()
        return parsed.map { text in
            let utf8 = Array(text.utf8)
            let match = raw.indices.first { !used.contains($0) && raw[$0] == utf8 }
                ?? raw.indices.first { !used.contains($0) && UploadName.display(raw[$0]) == text }
            guard let match else { return FilePath(bytes: utf8) }
            used.insert(match)
            return FilePath(bytes: raw[match])
        }
    }
}
