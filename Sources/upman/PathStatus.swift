#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem

/// What the file system says of one path: its kind, size, modification time and identity (from
/// lstat or stat), and whether this process may read it (faccessat).
struct PathStatus: Sendable, Hashable {
    /// The kinds of entries a directory holds.
    enum Kind: Sendable, Hashable {
        case regular, directory, symlink, fifo, socket, blockDevice, characterDevice, other
    }

    /// A directory's device and inode, to notice a followed link leading back up.
    struct Identity: Sendable, Hashable {
        let device: UInt64
        let inode: UInt64
    }

    var kind: Kind
    var size: Int64
    /// Modification time in milliseconds since 1970.
    var modifiedMillis: Int64
    var identity: Identity
    var readable: Bool

    /// The status of `name` in the directory open as `directory` (or of a path when it is
    /// `AT_FDCWD`), the link itself unless `following`. Blocking: call it off the cooperative pool.
    static func of(_ name: [UInt8], in directory: Int32 = AT_FDCWD, following: Bool) -> Result<PathStatus, Errno> {
        let path = name.map { CChar(bitPattern: $0) } + [0]
        var info = stat()
        guard fstatat(directory, path, &info, following ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(Errno(rawValue: errno)) }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFBLK: kind = .blockDevice
        case S_IFCHR: kind = .characterDevice
        default: kind = .other
        }
        let readable = kind == .regular && faccessat(directory, path, R_OK, AT_EACCESS) == 0
        return .success(PathStatus(
            kind: kind, size: Int64(info.st_size),
            modifiedMillis: Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000,
            identity: Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), readable: readable))
    }

    /// "a FIFO", "a socket", … for a reason text.
    var article: String {
        switch kind {
        case .regular: return "a regular file"
        case .directory: return "a directory"
        case .symlink: return "a symbolic link"
        case .fifo: return "a FIFO"
        case .socket: return "a socket"
        case .blockDevice: return "a block device"
        case .characterDevice: return "a character device"
        case .other: return "an entry of unknown type"
        }
    }
}
