import Logging
import ServiceLifecycle
import Synchronization
import UploadModel
import UploadStore

/// Feeds the SSE hub from the events table when several instances share a PostgreSQL database:
/// the one ordered feed across instances. It reads every event after the last one it passed on,
/// in id order, whenever something may have been committed: this process's own commits
/// (``UploadStore/onCommit(_:)``) and other instances' (a NOTIFY, see
/// ``UploadStore/watchCommits(_:)``), and once a second in case a notification was lost.
///
/// Ids are given in commit order (``UploadStore`` takes them under a lock held to COMMIT), so a
/// reader that has seen id N has seen every committed id below N: no gap, no duplicate, and a
/// subscriber on one instance sees the events written through every other.
public final class EventTailer: Service, Sendable {
    let store: UploadStore
    let hub: EventHub
    let logger: Logger
    private let wakeup = JobSignal()
    private let last: Mutex<Int64>

    /// A tailer passing on events after `start` (the newest id when the server opened the store).
    public init(store: UploadStore, hub: EventHub, start: Int64, logger: Logger) {
        self.store = store
        self.hub = hub
        self.logger = logger
        last = Mutex(start)
    }

    /// Says events may have been committed.
    public func wake() {
        wakeup.notify()
    }

    /// Passes events on until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    // A notification up to an id already passed on (this process's own commit,
                    // heard first through onCommit) needs no read.
                    await self.store.watchCommits { newest in
                        if newest.map({ $0 > self.last.withLock { $0 } }) ?? true { self.wake() }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        self.wake()
                    }
                }
                while !Task.isCancelled {
                    await self.drain()
                    await self.wakeup.wait()
                }
                group.cancelAll()
            }
        }
    }

    /// Reads and passes on pages of events until none is left.
    func drain() async {
        while !Task.isCancelled {
            let after = last.withLock { $0 }
            do {
                let page = try await store.reader.events(after: after, limit: 1000)
                guard let newest = page.last?.id else { return }
                last.withLock { $0 = newest }
                hub.publish(page)
                if page.count < 1000 { return }
            } catch {
                logger.warning("cannot read the event log", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
