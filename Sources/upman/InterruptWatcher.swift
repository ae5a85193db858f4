import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a call, instead of killing the process, so a command can stop
/// cleanly and say how to continue.
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var didFire = false

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [lock] in
            lock.withLock { self.didFire = true }
            handler()
        }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var fired: Bool { lock.withLock { didFire } }

    /// Restores the default Ctrl-C behaviour.
    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
