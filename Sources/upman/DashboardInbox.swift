import Foundation
import UploadClient

/// Messages for the dashboard's terminal thread, posted from any thread; posting wakes the
/// thread through a pipe it polls beside the keyboard.
final class DashboardInbox: @unchecked Sendable {
    /// What can be posted.
    enum Message: Sendable {
        /// An item of the server's event feed and when it arrived.
        case feed(FeedItem, arrived: Date)
        /// An operator action finished: its result for the status line.
        case actionFinished(String, succeeded: Bool)
        /// Stop (SIGTERM, SIGHUP).
        case quit
    }

    private let lock = NSLock()
    private var messages: [Message] = []
    /// The end the terminal thread polls.
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Creates the inbox and its wake-up pipe.
    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CLIError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Adds a message and wakes the terminal thread.
    func post(_ message: Message) {
        lock.lock()
        messages.append(message)
        let first = messages.count == 1
        lock.unlock()
        if first {
            var byte: UInt8 = 1
            _ = write(writeDescriptor, &byte, 1)
        }
    }

    /// Takes every message posted so far.
    func drain() -> [Message] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let taken = messages
        messages.removeAll(keepingCapacity: true)
        return taken
    }
}
