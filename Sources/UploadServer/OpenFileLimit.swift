#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit. Every connection, upload file and database handle takes a
/// descriptor; the usual soft limit of 1,024 runs out with a few hundred uploaders, while the
/// hard limit is usually far higher.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit (at most `cap`); returns the limit now in force.
    @discardableResult
    public static func raise(cap: UInt64 = 1 << 20) -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let wanted = min(limit.rlim_max, rlim_t(cap))
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(wanted) }
        }
        return UInt64(limit.rlim_cur)
    }
}
