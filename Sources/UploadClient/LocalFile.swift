#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem

/// A local file to upload: its path (the exact bytes), the name the server records, and its size
/// and modification time when the upload was planned.
///
/// It holds no descriptor. The file is opened only while a part of it is read (``withReader(_:)``)
/// and closed right after, so a run over any number of files has at most as many open as it has
/// parts in flight. Every read runs on NIOFileSystem's thread pool, never on the cooperative pool.
public final class LocalFile: Sendable {
    /// The path, byte for byte as the file system has it.
    public let pathBytes: [UInt8]
    /// The path for people: bytes that are not UTF-8 shown as U+FFFD (escape it for a terminal).
    public let path: String
    /// The name the server records (a relative path for files found in a directory), see ``UploadName``.
    public let uploadName: String
    /// The name for people: like `uploadName`, with U+FFFD where the name's bytes are not UTF-8
    /// (escape it for a terminal).
    public let displayName: String
    /// Size in bytes when planned.
    public let size: Int64
    /// Modification time when planned, in milliseconds since 1970.
    public let modifiedMillis: Int64

    /// A file whose size and modification time are already known (from a directory walk);
    /// `displayName` defaults to `uploadName`.
    public init(pathBytes: [UInt8], uploadName: String, displayName: String? = nil, size: Int64, modifiedMillis: Int64) {
        self.pathBytes = pathBytes
        self.path = UploadName.display(pathBytes)
        self.uploadName = uploadName
        self.displayName = displayName ?? uploadName
        self.size = size
        self.modifiedMillis = modifiedMillis
    }

    /// A file as `info` (from stat or lstat) describes it.
    public convenience init(location: FilePath, uploadName: String, displayName: String? = nil, info: FileInfo) {
        self.init(pathBytes: location.bytes, uploadName: uploadName, displayName: displayName, size: info.size,
                  modifiedMillis: Self.millis(info.lastDataModificationTime))
    }

    /// The path as a `FilePath`, made on each use (a directory walk of many files keeps bytes only).
    public var location: FilePath { FilePath(bytes: pathBytes) }

    /// Looks `location` up (following symbolic links) off the cooperative pool. A missing or
    /// non-regular file is a `localFile` error; nothing is opened.
    public static func inspect(_ location: FilePath, uploadName: String, displayName: String? = nil) async throws -> LocalFile {
        let info: FileInfo?
        do {
            info = try await FileSystem.shared.info(forFileAt: location, infoAboutSymbolicLink: false)
        } catch let error as FileSystemError {
            throw ClientError.localFile("\(location.description): \(error.reason)")
        }
        guard let info else { throw ClientError.localFile("\(location.description): no such file or directory") }
        guard info.type == .regular else { throw ClientError.localFile("\(location.description): not a regular file") }
        return LocalFile(location: location, uploadName: uploadName, displayName: displayName, info: info)
    }

    /// Looks `path` up with one blocking stat(2): for tests and tools that have just written the
    /// file themselves. Uploads plan with ``inspect(_:uploadName:)``.
    public convenience init(path: String, uploadName: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ClientError.localFile("\(path): \(String(cString: strerror(errno)).lowercased())")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ClientError.localFile("\(path): not a regular file") }
        self.init(pathBytes: Array(path.utf8), uploadName: uploadName, size: Int64(info.st_size),
                  modifiedMillis: Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000)
    }

    /// What the server records of this file, to recognise it on resume: size and modification time.
    public var fingerprint: String { "size=\(size);mtime=\(modifiedMillis)" }

    /// Opens the file, checks it is still the one planned (size and modification time), runs
    /// `body` with a reader, and closes the file whatever happens. Throws `localFile` when it can
    /// no longer be opened (gone, unreadable) and `fileChanged` when it is not the same file.
    public func withReader<Result: Sendable>(_ body: (LocalFileReader) async throws -> Result) async throws -> Result {
        do {
            return try await FileSystem.shared.withFileHandle(forReadingAt: location) { handle in
                let info = try await handle.info()
                guard info.type == .regular else { throw ClientError.localFile("\(path): no longer a regular file") }
                guard info.size == size, Self.millis(info.lastDataModificationTime) == modifiedMillis else {
                    throw ClientError.fileChanged("\(path) changed while it was being uploaded")
                }
                return try await body(LocalFileReader(file: self, handle: handle))
            }
        } catch let error as FileSystemError {
            if error.code == .notFound { throw ClientError.localFile("\(path): it no longer exists") }
            throw ClientError.localFile("\(path): \(error.reason)")
        }
    }

    /// The CRC-32C of a range, the file open only meanwhile.
    public func crc32c(offset: Int64, length: Int64) async throws -> UInt32 {
        try await withReader { try await $0.crc32c(offset: offset, length: length) }
    }

    /// The MD5 of a range (the ETag S3 gives a part; 16 bytes), the file open only meanwhile.
    public func md5(offset: Int64, length: Int64) async throws -> [UInt8] {
        try await withReader { try await $0.md5(offset: offset, length: length) }
    }

    /// Whether the size and modification time on disk still match what was planned.
    public func isUnchanged() async -> Bool {
        guard let info = try? await FileSystem.shared.info(forFileAt: location, infoAboutSymbolicLink: false) else { return false }
        return info.size == size && Self.millis(info.lastDataModificationTime) == modifiedMillis
    }

    /// Milliseconds since 1970 of a file time.
    static func millis(_ time: FileInfo.Timespec) -> Int64 {
        Int64(time.seconds) * 1000 + Int64(time.nanoseconds) / 1_000_000
    }
}
