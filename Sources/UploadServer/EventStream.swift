import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UploadModel
import UploadStore

/// `GET /api/v1/events`: Server-Sent Events of every committed change the caller may see.
///
/// With `Last-Event-ID` (or `?lastEventId=`) it first replays what was missed from the durable
/// log, or sends `reset` when the log no longer reaches back that far; then it streams live.
/// `?groupId=` narrows the feed to one group. Heartbeat comments keep proxies from closing it.
struct EventStream: Sendable {
    let store: UploadStore
    let hub: EventHub
    let metrics: ServerMetrics

    /// The SSE `event:` lines a subscriber may be sent.
    struct Filter: Sendable {
        let principal: Principal
        let groupId: String?

        func admits(_ event: UploadEvent) -> Bool {
            (principal.isAdmin || event.userId == principal.userId) && (groupId == nil || event.groupId == groupId)
        }
    }

    func respond(_ request: Request, principal: Principal) throws -> Response {
        let lastEventId = try Self.lastEventId(request)
        let filter = Filter(principal: principal, groupId: request.uri.queryParameters["groupId"].map(String.init))
        if let groupId = filter.groupId {
            guard let group = try store.reader.group(groupId), principal.canAccess(owner: group.userId) else {
                throw UploadError(.notFound, "no group \(groupId)")
            }
        }
        let subscription = hub.subscribe()
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let store = self.store
        let hub = self.hub
        let metrics = self.metrics
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            metrics.subscribersChanged(by: 1)
            defer {
                hub.unsubscribe(subscription.id)
                metrics.subscribersChanged(by: -1)
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await Self.stream(
                        to: &writer, store: store, subscription: subscription.stream, filter: filter, after: lastEventId)
                }
            } catch is CancellationError {
                // The client went away.
            }
            try await writer.finish(nil)
        })
    }

    private static func stream(
        to writer: inout any ResponseBodyWriter, store: UploadStore, subscription: AsyncStream<EventHub.Item>,
        filter: Filter, after lastEventId: Int64?
    ) async throws {
        // Read where the log stands before saying "connected": a client that acts on that line
        // must not have its first changes taken for history it already has.
        var sent = try store.reader.latestEventId()
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        if let lastEventId {
            let oldest = try store.reader.oldestEventId()
            if lastEventId < sent && oldest > 0 && lastEventId + 1 < oldest {
                try await writer.write(ByteBuffer(string: UploadEvent.reset(latestId: sent, oldestId: oldest, at: Timestamp.now()).sseFrame))
            } else {
                var cursor = lastEventId
                while true {
                    let page = try store.reader.events(
                        after: cursor, limit: 1000, groupId: filter.groupId,
                        userId: filter.principal.isAdmin ? nil : filter.principal.userId)
                    guard let last = page.last else { break }
                    try await writer.write(ByteBuffer(string: page.map(\.sseFrame).joined()))
                    cursor = last.id
                }
                sent = max(sent, cursor)
            }
        }
        for await item in subscription {
            switch item {
            case .heartbeat:
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
            case .events(let events):
                let fresh = events.filter { $0.id > sent && filter.admits($0) }
                if let last = events.last { sent = max(sent, last.id) }
                guard !fresh.isEmpty else { continue }
                try await writer.write(ByteBuffer(string: fresh.map(\.sseFrame).joined()))
            }
        }
    }

    /// The `Last-Event-ID` header, else the `lastEventId` query value. Both are checked when both are
    /// given (the header wins), so a malformed value never passes unnoticed.
    private static func lastEventId(_ request: Request) throws -> Int64? {
        let header = try parse(request.headers[HTTPField.Name("Last-Event-ID")!], "Last-Event-ID")
        let query = try parse(request.uri.queryParameters["lastEventId"].map(String.init), "lastEventId")
        return header ?? query
    }

    private static func parse(_ text: String?, _ name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let id = Int64(text), id >= 0 else {
            throw UploadError(.badRequest, "\(name) must be a non-negative integer")
        }
        return id
    }
}
