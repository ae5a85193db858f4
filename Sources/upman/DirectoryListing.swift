#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem

/// The entries of one directory by their names' bytes (opendir/readdir: nothing decoded, so a name
/// that is not UTF-8 is listed like any other), each with its lstat, and for a symbolic link the
/// stat of what it points to when links are followed. Blocking, one directory open at a time:
/// `FileCollector` calls it on NIO's thread pool.
struct DirectoryListing: Sendable {
    /// One entry.
    struct Entry: Sendable {
        /// Its name, byte for byte.
        let name: [UInt8]
        /// Its lstat, or why it could not be looked at (ENOENT: it vanished meanwhile).
        let status: Result<PathStatus, Errno>
        /// For a symbolic link, when links are followed: what it points to.
        let target: Result<PathStatus, Errno>?
    }

    /// The entries, unordered.
    let entries: [Entry]

    /// Reads `directory`; a directory that cannot be opened or read is the error.
    static func read(_ directory: [UInt8], followingLinks: Bool) -> Result<DirectoryListing, Errno> {
        guard let handle = opendir(directory.map { CChar(bitPattern: $0) } + [0]) else { return .failure(Errno(rawValue: errno)) }
        defer { closedir(handle) }
        let descriptor = dirfd(handle)
        var entries: [Entry] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { return .failure(Errno(rawValue: errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            let status = PathStatus.of(name, in: descriptor, following: false)
            var target: Result<PathStatus, Errno>?
            if followingLinks, case .success(let link) = status, link.kind == .symlink {
                target = PathStatus.of(name, in: descriptor, following: true)
            }
            entries.append(Entry(name: name, status: status, target: target))
        }
        return .success(DirectoryListing(entries: entries))
    }
}
