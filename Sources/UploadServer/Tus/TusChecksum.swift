import Crypto
import Foundation
import NIOCore
import UploadModel

/// tus's checksum extension: `Upload-Checksum: ALGORITHM BASE64` states the digest of one PATCH
/// body; the server computes it as the bytes arrive and keeps none of them when it differs (460).
struct TusChecksum {
    /// The algorithms taken, as `Tus-Checksum-Algorithm` lists them.
    static let algorithms = ["sha1", "md5", "crc32", "sha256"]

    /// The algorithm's name.
    let algorithm: String
    private let expected: Data
    private var hasher: Hasher

    private enum Hasher {
        case sha1(Insecure.SHA1)
        case md5(Insecure.MD5)
        case sha256(SHA256)
        case crc32(CRC32)
    }

    /// Parses the header; nil when absent.
    ///
    /// - Throws: `badRequest` for an algorithm not in ``algorithms`` or a digest that is not base64
    ///   of the algorithm's length.
    init?(header: String?) throws(UploadError) {
        guard let header else { return nil }
        let words = header.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2 else {
            throw UploadError(.badRequest, "Upload-Checksum is an algorithm and a base64 digest separated by a space")
        }
        let name = words[0].lowercased()
        let length: Int
        switch name {
        case "sha1": (hasher, length) = (.sha1(Insecure.SHA1()), 20)
        case "md5": (hasher, length) = (.md5(Insecure.MD5()), 16)
        case "sha256": (hasher, length) = (.sha256(SHA256()), 32)
        case "crc32": (hasher, length) = (.crc32(CRC32()), 4)
        default:
            throw UploadError(.badRequest, "Upload-Checksum algorithm \(String(words[0]).debugDescription) is not one of \(Self.algorithms.joined(separator: ", "))")
        }
        guard let digest = Data(base64Encoded: String(words[1])), digest.count == length else {
            throw UploadError(.badRequest, "Upload-Checksum: the \(name) digest must be base64 of \(length) bytes")
        }
        algorithm = name
        expected = digest
    }

    /// Adds the bytes of `buffer`.
    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            switch hasher {
            case .sha1(var h): h.update(bufferPointer: bytes); hasher = .sha1(h)
            case .md5(var h): h.update(bufferPointer: bytes); hasher = .md5(h)
            case .sha256(var h): h.update(bufferPointer: bytes); hasher = .sha256(h)
            case .crc32(var h): h.update(bytes); hasher = .crc32(h)
            }
        }
    }

    /// Whether the bytes added have the stated digest.
    func matches() -> Bool {
        let digest: Data
        switch hasher {
        case .sha1(let h): digest = Data(h.finalize())
        case .md5(let h): digest = Data(h.finalize())
        case .sha256(let h): digest = Data(h.finalize())
        case .crc32(let h): digest = Data(h.bytes)
        }
        return digest == expected
    }
}
