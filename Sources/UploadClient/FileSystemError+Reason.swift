#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem

extension FileSystemError {
    /// What went wrong in the words of `strerror` ("no such file or directory", "permission
    /// denied"), from the system call at the root of the error; NIO's own message when no system
    /// call failed.
    public var reason: String {
        var cause: (any Error)? = self
        while let current = cause {
            if let call = current as? FileSystemError.SystemCallError {
                return String(cString: strerror(call.errno.rawValue)).lowercased()
            }
            if let errno = current as? Errno { return String(cString: strerror(errno.rawValue)).lowercased() }
            cause = (current as? FileSystemError)?.cause
        }
        switch code {
        case .notFound: return "no such file or directory"
        case .permissionDenied: return "permission denied"
        default: return message
        }
    }
}
