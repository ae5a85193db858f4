import TestSupport
import Crypto
import Foundation

/// A file of seeded random bytes, and its SHA-256 (what the server's sha256 job reports).
enum RandomFile {
    /// Writes `size` bytes to `path` on a thread of its own (hundreds of MiB must not hold up the
    /// cooperative pool, which the servers of tests running beside it need); returns the digest as
    /// lower-case hex. One seeded MiB, repeated with each MiB's number written into its first
    /// bytes, so no two parts are alike.
    @discardableResult
    static func write(_ path: String, size: Int, seed: UInt64) async throws -> String {
        try await offPool {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var state = seed &+ 0x9E37_79B9_7F4A_7C15
            var block = [UInt64](repeating: 0, count: (1 << 20) / 8)
            for index in block.indices {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                block[index] = state
            }
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteUnknown)
            }
            defer { try? handle.close() }
            var hasher = SHA256()
            var written = 0
            var number: UInt64 = 0
            while written < size {
                block[0] = number ^ seed
                let chunk = block.withUnsafeBytes { Data($0.prefix(size - written)) }
                try handle.write(contentsOf: chunk)
                hasher.update(data: chunk)
                written += chunk.count
                number += 1
            }
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
    }
}
