#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

/// A local file being uploaded: its size and modification time, and reads of any range.
public final class LocalFile: Sendable {
    /// The path.
    public let path: String
    /// The name the server records (a relative path for files found in a directory).
    public let uploadName: String
    /// Size in bytes when opened.
    public let size: Int64
    /// Modification time when opened, in milliseconds since 1970.
    public let modifiedMillis: Int64
    private let fd: Int32

    /// Opens `path` for reading; a missing, unreadable or non-regular file is a `localFile` error.
    public init(path: String, uploadName: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ClientError.localFile("\(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ClientError.localFile("\(path): not a regular file")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ClientError.localFile("\(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.path = path
        self.uploadName = uploadName
        self.size = Int64(info.st_size)
        self.modifiedMillis = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    deinit {
        close(fd)
    }

    /// What the server records of this file, to recognise it on resume: size and modification time.
    public var fingerprint: String { "size=\(size);mtime=\(modifiedMillis)" }

    /// Reads `count` bytes at `offset`.
    public func read(offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ClientError.localFile("\(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw ClientError.fileChanged("\(path) became shorter while it was being uploaded") }
            done += n
        }
        return bytes
    }

    /// The MD5 of a range, read in 1 MiB chunks: the ETag S3 and upman give a part.
    public func md5(offset: Int64, length: Int64) throws -> Insecure.MD5Digest {
        var hasher = Insecure.MD5()
        var position: Int64 = 0
        while position < length {
            let chunk = Int(min(Int64(1 << 20), length - position))
            let bytes = try read(offset: offset + position, count: chunk)
            hasher.update(data: bytes)
            position += Int64(chunk)
        }
        return hasher.finalize()
    }

    /// The current size and modification time on disk still match what was opened.
    public func isUnchanged() -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        let millis = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return Int64(info.st_size) == size && millis == modifiedMillis
    }
}
