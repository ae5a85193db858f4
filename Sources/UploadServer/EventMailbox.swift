import Synchronization

/// One SSE subscriber's queue of hub items. The hub pushes without waiting; the subscriber takes
/// everything that is waiting in one call, so a busy feed goes out in few large writes instead of
/// one write (and one flush) per commit.
final class EventMailbox: Sendable {
    private struct State {
        var items: [EventHub.Item] = []
        var waiter: CheckedContinuation<[EventHub.Item]?, Never>?
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())
    /// The most items that may wait before the subscriber is dropped.
    let capacity: Int

    /// A mailbox holding at most `capacity` waiting items.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `item` for the subscriber; false when `capacity` items already wait (the subscriber is
    /// too slow and is to be dropped). Never waits.
    func push(_ item: EventHub.Item) -> Bool {
        let (waiter, taken, accepted) = state.withLock { state -> (CheckedContinuation<[EventHub.Item]?, Never>?, [EventHub.Item], Bool) in
            guard !state.finished else { return (nil, [], true) }
            guard state.items.count < capacity else { return (nil, [], false) }
            state.items.append(item)
            guard let waiter = state.waiter else { return (nil, [], true) }
            state.waiter = nil
            defer { state.items = [] }
            return (waiter, state.items, true)
        }
        waiter?.resume(returning: taken)
        return accepted
    }

    /// Ends the mailbox: what waits is still taken, then ``next()`` returns nil.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[EventHub.Item]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Every item waiting, oldest first, waiting for one if there is none; nil once the mailbox is
    /// finished and empty, or when the calling task is cancelled.
    func next() async -> [EventHub.Item]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[EventHub.Item]?, Never>) in
                let ready = state.withLock { state -> [EventHub.Item]?? in
                    if state.cancelled { return .some(nil) }
                    if !state.items.isEmpty {
                        defer { state.items = [] }
                        return .some(state.items)
                    }
                    if state.finished { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if case .some(let items) = ready { continuation.resume(returning: items) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[EventHub.Item]?, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
