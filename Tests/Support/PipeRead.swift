#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads a child's pipe with `read(2)`, retrying EINTR. Foundation's `FileHandle.availableData` and
/// `readDataToEndOfFile()` end the process (a `try!` inside) when a read is interrupted by a signal,
/// which happens in a test run that stops, continues and reaps many children.
public enum PipeRead {
    /// What is there now, waiting until at least one byte is (empty at the end of the output).
    public static func available(_ handle: FileHandle) -> Data {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Data(buffer[0..<count]) }
            if errno != EINTR && errno != EAGAIN { return Data() }
        }
    }

    /// Everything up to the end of the output.
    public static func toEnd(_ handle: FileHandle) -> Data {
        var data = Data()
        while true {
            let chunk = available(handle)
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }
}
