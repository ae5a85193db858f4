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

/// Computes every checksum of a stream of bytes in one pass.
struct RunningChecksums {
    private var md5 = Insecure.MD5()
    private var sha256: SHA256?
    private var crc32c: CRC32C?

    init(wantSHA256: Bool, wantCRC32C: Bool) {
        sha256 = wantSHA256 ? SHA256() : nil
        crc32c = wantCRC32C ? CRC32C() : nil
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        md5.update(bufferPointer: bytes)
        sha256?.update(bufferPointer: bytes)
        crc32c?.update(bytes)
    }

    /// Checks the declared checksums and returns the hex MD5 (the part's ETag without quotes).
    func finish(against declared: PartChecksums, partNumber: Int) throws(UploadError) -> String {
        let md5Digest = Array(md5.finalize())
        if let expected = declared.md5, Data(md5Digest).base64EncodedString() != expected {
            throw UploadError(.checksumMismatch, "part \(partNumber): Content-MD5 \(expected) does not match the bytes received")
        }
        if let expected = declared.sha256, let sha256 {
            guard Data(sha256.finalize()).base64EncodedString() == expected else {
                throw UploadError(.checksumMismatch, "part \(partNumber): x-amz-checksum-sha256 does not match the bytes received")
            }
        }
        if let expected = declared.crc32c, let crc32c {
            guard Data(crc32c.bytes).base64EncodedString() == expected else {
                throw UploadError(.checksumMismatch, "part \(partNumber): x-amz-checksum-crc32c does not match the bytes received")
            }
        }
        return Hex.lowercase(md5Digest)
    }
}
