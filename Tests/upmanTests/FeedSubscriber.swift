import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import TestSupport

/// A raw Server-Sent Events reader of `GET /api/v1/events` on one instance: it keeps the `id:` of
/// every event frame it was sent (in arrival order) and whether the `: connected` comment came,
/// reading on a task of its own until ``cancel()``.
final class FeedSubscriber: Sendable {
    private struct State {
        var ids: [Int64] = []
        var kinds: [String] = []
        var connected = false
        var ended: String?
    }

    private let state = Mutex(State())
    private let reader = Mutex<Task<Void, Never>?>(nil)

    /// The ids received so far, in order.
    var ids: [Int64] { state.withLock { $0.ids } }
    /// The `event:` names received so far, in order (a `reset` would show here).
    var kinds: [String] { state.withLock { $0.kinds } }
    /// Whether the server said `: connected` (it has read where the log stands).
    var isConnected: Bool { state.withLock { $0.connected } }
    /// Why the stream ended, when it did.
    var ended: String? { state.withLock { $0.ended } }

    /// Subscribes at `url` (`/api/v1/events` is added) with `token`, sending `lastEventId` when given.
    init(url: String, token: String, lastEventId: Int64? = nil) {
        var request = HTTPClientRequest(url: url + "/api/v1/events")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: String(lastEventId)) }
        let task = Task { [self] in
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
                guard response.status == .ok else {
                    state.withLock { $0.ended = "status \(response.status.code)" }
                    return
                }
                var pending = ""
                for try await chunk in response.body {
                    pending += String(buffer: chunk)
                    while let newline = pending.firstIndex(of: "\n") {
                        let line = String(pending[..<newline])
                        pending = String(pending[pending.index(after: newline)...])
                        take(line)
                    }
                }
                state.withLock { $0.ended = "the stream ended" }
            } catch {
                state.withLock { $0.ended = "\(error)" }
            }
        }
        reader.withLock { $0 = task }
    }

    private func take(_ line: String) {
        if line == ": connected" {
            state.withLock { $0.connected = true }
        } else if line.hasPrefix("id:") {
            let value = Int64(line.dropFirst(3).trimmingCharacters(in: .whitespaces)) ?? -1
            state.withLock { $0.ids.append(value) }
        } else if line.hasPrefix("event:") {
            let kind = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
            state.withLock { $0.kinds.append(kind) }
        }
    }

    /// Waits until the server said `: connected`; false when the stream ended first or nothing came
    /// for ``Patience/quiet`` seconds.
    func waitUntilConnected() async -> Bool {
        await Patience.wait(progress: { self.ended }, until: { self.isConnected || self.ended != nil }) && isConnected
    }

    /// Waits until an event with id `id` or later arrived; false when the stream ended first or no
    /// event came for ``Patience/quiet`` seconds.
    func waitFor(id: Int64) async -> Bool {
        await Patience.wait(progress: { self.ids.count }, until: { (self.ids.last ?? 0) >= id || self.ended != nil })
            && (ids.last ?? 0) >= id
    }

    /// Stops reading and closes the connection.
    func cancel() {
        reader.withLock { $0?.cancel() }
    }
}
