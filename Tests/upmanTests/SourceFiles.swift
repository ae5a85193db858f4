import Crypto
import Foundation
import UploadModel

/// A folder of files of mixed sizes with random content from a seed, and each one's SHA-256.
struct SourceFiles {
    /// One file: its name relative to the folder's parent (as `upman put` names it), size and digest.
    struct File {
        let uploadName: String
        let size: Int
        let sha256: String
    }

    /// The folder, as passed to `upman put`.
    let folder: String
    /// Its files.
    let files: [File]

    /// Writes an empty file, a tiny one, two of a few hundred KiB and three multipart ones
    /// (12–40 MiB, sizes not a multiple of the part size) into `folder`.
    static func write(into folder: String, rng: inout SeededGenerator) throws -> SourceFiles {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let mib = 1 << 20
        let sizes: [(String, Int)] = [
            ("empty.txt", 0),
            ("tiny.txt", Int.random(in: 1...300, using: &rng)),
            ("small-a.bin", Int.random(in: 200_000...400_000, using: &rng)),
            ("small-b.bin", Int.random(in: 400_000...900_000, using: &rng)),
            ("parts/twelve.bin", Int.random(in: 12 * mib...14 * mib, using: &rng)),
            ("parts/twenty.bin", Int.random(in: 20 * mib...26 * mib, using: &rng)),
            ("parts/forty.bin", Int.random(in: 36 * mib...40 * mib, using: &rng)),
        ]
        let base = (folder as NSString).lastPathComponent
        var files: [File] = []
        for (name, size) in sizes {
            let path = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let data = randomData(size, rng: &rng)
            try data.write(to: URL(fileURLWithPath: path))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            files.append(File(uploadName: base + "/" + name, size: size, sha256: digest))
        }
        return SourceFiles(folder: folder, files: files)
    }

    /// `count` random bytes.
    static func randomData(_ count: Int, rng: inout SeededGenerator) -> Data {
        var words = [UInt64](repeating: 0, count: (count + 7) / 8)
        words.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = rng.next() }
        }
        return words.withUnsafeBytes { Data($0.prefix(count)) }
    }
}
