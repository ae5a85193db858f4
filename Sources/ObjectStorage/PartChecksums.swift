import Crypto
import Foundation
import UploadModel

/// Checksums a sender declared for a part's bytes, as S3 names them (base64 of the raw digest).
public struct PartChecksums: Sendable, Hashable {
    /// `Content-MD5`.
    public var md5: String?
    /// `x-amz-checksum-sha256`.
    public var sha256: String?
    /// `x-amz-checksum-crc32c`.
    public var crc32c: String?

    /// Creates a set of declared checksums.
    public init(md5: String? = nil, sha256: String? = nil, crc32c: String? = nil) {
        self.md5 = md5
        self.sha256 = sha256
        self.crc32c = crc32c
    }
}

/// What the disk store computed of a part's bytes as they arrived.
public struct ReceivedPart: Sendable, Hashable {
    /// The part's ETag, quoted: the lowercase hex of its CRC-32C (8 digits). The disk store's
    /// ETag is an opaque validator (RFC 9110 §8.8.3), as S3's is for anything but a plain PUT; it is
    /// not an MD5, which would cost a second hash of every byte.
    public var etag: String
    /// The part's CRC-32C.
    public var crc32c: UInt32
    /// The SHA-256 (hex) of the bytes, when it was asked for.
    public var sha256: String?

    /// The CRC-32C as S3's `x-amz-checksum-crc32c` writes it.
    public var checksum: String { CRC32C.base64(crc32c) }
}

/// Computes the checksums of a stream of bytes in one pass: CRC-32C always (it is cheap), MD5
/// only when the sender declared `Content-MD5`, SHA-256 when declared or asked for.
struct RunningChecksums {
    private var crc32c = CRC32C()
    private var md5: Insecure.MD5?
    private var sha256: SHA256?

    init(declared: PartChecksums, computeSHA256: Bool) {
        md5 = declared.md5 != nil ? Insecure.MD5() : nil
        sha256 = declared.sha256 != nil || computeSHA256 ? SHA256() : nil
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        crc32c.update(bytes)
        md5?.update(bufferPointer: bytes)
        sha256?.update(bufferPointer: bytes)
    }

    /// Checks the declared checksums (422 `checksumMismatch` naming the first that differs) and
    /// returns what was computed.
    func finish(against declared: PartChecksums, partNumber: Int) throws(UploadError) -> ReceivedPart {
        if let expected = declared.crc32c, crc32c.base64 != expected {
            throw UploadError(.checksumMismatch, "part \(partNumber): x-amz-checksum-crc32c \(expected) does not match the bytes received (\(crc32c.base64))")
        }
        if let expected = declared.md5, let md5, Data(md5.finalize()).base64EncodedString() != expected {
            throw UploadError(.checksumMismatch, "part \(partNumber): Content-MD5 \(expected) does not match the bytes received")
        }
        var sha256Hex: String?
        if let sha256 {
            let digest = Array(sha256.finalize())
            if let expected = declared.sha256, Data(digest).base64EncodedString() != expected {
                throw UploadError(.checksumMismatch, "part \(partNumber): x-amz-checksum-sha256 does not match the bytes received")
            }
            sha256Hex = Hex.lowercase(digest)
        }
        let hex = Hex.lowercase(crc32c.bytes)
        return ReceivedPart(etag: "\"\(hex)\"", crc32c: crc32c.value, sha256: sha256Hex)
    }
}
