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
        /// Committed events, in id order.
        case events([UploadEvent])
        /// Nothing happened for a while: keep the connection alive.
        case heartbeat
    }

    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<Item>.Continuation] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    private let heartbeat: Duration
    private let bufferSize: Int

    /// Creates a hub; each subscriber may lag `bufferSize` batches before it is dropped.
    public init(heartbeat: Duration = .seconds(15), bufferSize: Int = 4096) {
        self.heartbeat = heartbeat
        self.bufferSize = bufferSize
    }

    /// Number of open subscriptions.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Opens a subscription; events committed from now on arrive on the stream.
    public func subscribe() -> (id: Int, stream: AsyncStream<Item>) {
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        let id: Int? = state.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.subscribers[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return (0, stream)
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    /// Ends a subscription.
    public func unsubscribe(_ id: Int) {
        let continuation = state.withLock { $0.subscribers.removeValue(forKey: id) }
        continuation?.finish()
    }

    /// Sends committed events to every subscriber; drops those whose buffer is full.
    public func publish(_ events: [UploadEvent]) {
        send(.events(events))
    }

    private func send(_ item: Item) {
        let subscribers = state.withLock { $0.subscribers }
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(item) { unsubscribe(id) }
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
        for continuation in subscribers.values { continuation.finish() }
    }
}
