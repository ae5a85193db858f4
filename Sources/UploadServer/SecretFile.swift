#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Files that hold secrets: created with mode 0600 from the start, never readable by others.
public enum SecretFile {
    /// Writes `data` to `url` with mode 0600, replacing what was there.
    public static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
        _ = fchmod(fd, 0o600)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    /// Reads the secret at `url`, or creates it with `make()` on first use.
    public static func readOrCreate(_ url: URL, make: () -> Data) throws -> Data {
        if let data = try? Data(contentsOf: url), !data.isEmpty { return data }
        let data = make()
        try write(data, to: url)
        return data
    }
}
