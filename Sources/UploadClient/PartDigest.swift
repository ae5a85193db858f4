import Crypto
import Foundation
import NIOCore
import UploadModel

/// The checksums of one part's bytes as the uploader read them: the CRC-32C always (sent as
/// `x-amz-checksum-crc32c` where the storage checks it, and combined into the whole object's), the
/// MD5 only when asked for (`--checksum md5`: sent as `Content-MD5`).
struct PartDigest: Sendable, Hashable {
    /// The part's CRC-32C.
    var crc32c: UInt32
    /// Base64 of the part's MD5, when computed.
    var md5: String?

    /// Computes the checksums of `bytes` in one pass over them.
    init(_ bytes: ByteBuffer, md5 wantMD5: Bool) {
        var crc = CRC32C()
        var hasher: Insecure.MD5? = wantMD5 ? Insecure.MD5() : nil
        bytes.withUnsafeReadableBytes { raw in
            crc.update(raw)
            hasher?.update(bufferPointer: raw)
        }
        crc32c = crc.value
        md5 = hasher.map { Data($0.finalize()).base64EncodedString() }
    }

    /// `x-amz-checksum-crc32c`'s value.
    var crc32cBase64: String { CRC32C.base64(crc32c) }
}
