#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import UploadModel

/// A configured size limit for the embedded store, kept as the disk blocks its files take.
///
/// A write that would start once the store holds its capacity fails exactly as a full disk does
/// (ENOSPC): the part is FAILED with `storageFull` and can be retried once there is room. A
/// write that starts below the limit completes, so the store may pass it by one buffer. Writes
/// are counted one at a time under a lock, so a configured capacity costs some parallelism.
public final class DiskCapacity: Sendable {
    /// The limit in bytes.
    public let limit: Int64
    private let used: Mutex<Int64>

    /// Measures what the files under `root` take now.
    public init(limit: Int64, root: URL) {
        self.limit = limit
        self.used = Mutex(Self.blocksBytes(under: root))
    }

    /// Bytes the store's files take.
    public var usage: Int64 { used.withLock { $0 } }

    /// Bytes left before the limit (negative when a last write passed it).
    public var available: Int64 { limit - usage }

    /// Runs one write of `fd` if the store is below its limit, and counts the blocks it added.
    func write(fd: Int32, _ body: () -> Int) throws(UploadError) -> Int {
        try used.withLock { (used: inout Int64) throws(UploadError) -> Int in
            guard used < limit else { throw StorageError.io("store capacity of \(limit) bytes reached", errno: ENOSPC) }
            let before = Self.blocksBytes(fd: fd)
            let result = body()
            used += Self.blocksBytes(fd: fd) - before
            return result
        }
    }

    /// Runs the removal of `path` and gives back the blocks it took.
    func remove(path: String, _ body: () -> Int32) -> Int32 {
        used.withLock { used in
            var info = stat()
            let taken = stat(path, &info) == 0 ? Int64(info.st_blocks) * 512 : 0
            let result = body()
            if result == 0 { used -= taken }
            return result
        }
    }

    private static func blocksBytes(fd: Int32) -> Int64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int64(info.st_blocks) * 512 : 0
    }

    private static func blocksBytes(under root: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walker {
            var info = stat()
            if lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { total += Int64(info.st_blocks) * 512 }
        }
        return total
    }
}
