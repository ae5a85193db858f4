#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A terminal's size in columns and rows, as the kernel reports it (ioctl TIOCGWINSZ).
struct TerminalSize: Sendable, Hashable {
    /// Columns.
    var columns: Int
    /// Rows.
    var rows: Int

    /// The size of the terminal on `descriptor`; nil when it is not a terminal or reports 0.
    static func of(_ descriptor: Int32) -> TerminalSize? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: size.ws_row > 0 ? Int(size.ws_row) : 24)
    }
}
