#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import UploadModel

/// Storage failures as coded ``UploadError``s.
enum StorageError {
    /// The object or upload does not exist.
    static func missing(_ what: String) -> UploadError {
        UploadError(.notFound, "\(what) is not in storage")
    }

    /// The storage could not do what was asked (disk full, permissions, I/O).
    static func io(_ what: String, errno code: Int32) -> UploadError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return UploadError(.storageFull, "\(what): \(reason)")
        }
        return UploadError(.storageError, "\(what): \(reason)")
    }
}
