import Crypto
import Foundation

/// A file of seeded random bytes, and its SHA-256 (what the server's sha256 job reports).
enum RandomFile {
    /// Writes `size` bytes to `path`; returns the digest as lower-case hex.
    @discardableResult
    static func write(_ path: String, size: Int, seed: UInt64) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: size)
        for index in stride(from: 0, to: size, by: 8) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var word = state
            for offset in 0..<min(8, size - index) {
                bytes[index + offset] = UInt8(truncatingIfNeeded: word)
                word >>= 8
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
