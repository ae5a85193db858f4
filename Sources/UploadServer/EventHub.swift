import Foundation
import ServiceLifecycle
import Synchronization
import UploadModel

/// Fans committed events out to SSE subscribers. A subscriber that falls too far behind is
/// dropped (its stream ends) rather than slowing anyone: it reconnects with `Last-Event-ID` and
/// replays from the durable log. As a service it sends heartbeats and ends every stream on shutdown.
public final class EventHub: Service, Sendable {
    /// What a subscriber receives.
    public enum Item: Sendable {
        /// Committed events, in id order, with their frames.
        case events([FramedEvent])
        /// Nothing happened for a while: keep the connection alive.
        case heartbeat
    }

    private struct State {
        var next = 0
        var subscribers: [Int: EventMailbox] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    private let heartbeat: Duration
    private let bufferSize: Int

    /// Creates a hub; each subscriber may lag `bufferSize` commits before it is dropped.
    public init(heartbeat: Duration = .seconds(15), bufferSize: Int = 4096) {
        self.heartbeat = heartbeat
        self.bufferSize = bufferSize
    }

    /// Number of open subscriptions.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Opens a subscription; events committed from now on arrive in its mailbox. Call
    /// ``unsubscribe(_:)`` with the id when done.
    func subscribe() -> (id: Int, mailbox: EventMailbox) {
        let mailbox = EventMailbox(capacity: bufferSize)
        let id: Int? = state.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.subscribers[state.next] = mailbox
            return state.next
        }
        guard let id else {
            mailbox.finish()
            return (0, mailbox)
        }
        return (id, mailbox)
    }

    /// Ends a subscription.
    public func unsubscribe(_ id: Int) {
        let mailbox = state.withLock { $0.subscribers.removeValue(forKey: id) }
        mailbox?.finish()
    }

    /// Sends committed events to every subscriber, each frame encoded once for all; drops
    /// subscribers whose mailbox is full.
    public func publish(_ events: [UploadEvent]) {
        guard !events.isEmpty else { return }
        send(.events(events.map(FramedEvent.init)))
    }

    private func send(_ item: Item) {
        let subscribers = state.withLock { $0.subscribers }
        for (id, mailbox) in subscribers where !mailbox.push(item) {
            unsubscribe(id)
        }
    }

    /// Sends heartbeats until shutdown, then ends every stream.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.heartbeat) } catch { break }
                self.send(.heartbeat)
            }
        }
        close()
    }

    /// Ends every stream and refuses new subscribers.
    public func close() {
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return state.subscribers
        }
        for mailbox in subscribers.values { mailbox.finish() }
    }
}
