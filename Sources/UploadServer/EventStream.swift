import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UploadModel
import UploadStore

/// `GET /api/v1/events`: Server-Sent Events of every committed change the caller may see.
///
/// With `Last-Event-ID` (or `?lastEventId=`) it first replays what was missed from the durable
/// log, or sends `reset` when the log cannot answer for that id (trimmed away, or never issued:
/// see ``ReplayStart``); then it streams live. `?groupId=` narrows the feed to one group.
/// Heartbeat comments keep proxies from closing it.
struct EventStream: Sendable {
    let store: UploadStore
    let hub: EventHub
    let metrics: ServerMetrics

    /// The SSE `event:` lines a subscriber may be sent.
    struct Filter: Sendable {
        let principal: Principal
        let groupId: String?
        /// For a principal bound to a group name (an events token an upload link made): the ids of
        /// its user's groups of that name, kept current from the group events that pass by.
        var boundGroups: Set<String> = []

        /// Whether `event` may be sent; a group event of the bound name (or renamed away from it)
        /// also updates ``boundGroups``, so check events in id order.
        mutating func admits(_ event: UploadEvent) -> Bool {
            guard principal.isAdmin || event.userId == principal.userId, groupId == nil || event.groupId == groupId else {
                return false
            }
            guard let name = principal.groupName else { return true }
            if event.kind == .group, !event.deleted,
               let group = try? UploadJSON.decoder().decode(UploadGroup.self, from: Data(event.data.utf8)) {
                if group.name == name { boundGroups.insert(group.id) } else { boundGroups.remove(group.id) }
            }
            return boundGroups.contains(event.groupId)
        }
    }

    func respond(_ request: Request, principal: Principal) async throws -> Response {
        let lastEventId = Self.lastEventId(request)
        let filter = Filter(principal: principal, groupId: request.uri.queryParameters["groupId"].map(String.init))
        if let groupId = filter.groupId {
            guard let group = try await store.reader.group(groupId), principal.canAccess(group) else {
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
                        to: &writer, store: store, mailbox: subscription.mailbox, filter: filter, after: lastEventId)
                }
            } catch is CancellationError {
                // The client went away.
            }
            try await writer.finish(nil)
        })
    }

    private static func stream(
        to writer: inout any ResponseBodyWriter, store: UploadStore, mailbox: EventMailbox,
        filter: Filter, after lastEventId: String?
    ) async throws {
        var filter = filter
        // Read where the log stands before saying "connected": a client that acts on that line
        // must not have its first changes taken for history it already has.
        var sent = try await store.reader.latestEventId()
        // Read after that point, so a group made before it is known here and one made after it
        // arrives as an event.
        if let name = filter.principal.groupName {
            filter.boundGroups = try await store.reader.groupIds(userId: filter.principal.userId, name: name)
        }
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        let oldest = lastEventId == nil ? 0 : try await store.reader.oldestEventId()
        switch ReplayStart.decide(lastEventId: lastEventId, latestId: sent, oldestId: oldest) {
        case .live:
            break
        case .reset(let reason):
            // Whatever the filter, the client learns it must reload; live events follow after `sent`.
            let reset = UploadEvent.reset(latestId: sent, oldestId: oldest, reason: reason, at: Timestamp.now())
            try await writer.write(ByteBuffer(string: reset.sseFrame))
        case .replay(let after):
            var cursor = after
            while true {
                let page = try await store.reader.events(
                    after: cursor, limit: 1000, groupId: filter.groupId,
                    userId: filter.principal.isAdmin ? nil : filter.principal.userId)
                guard let last = page.last else { break }
                let admitted = page.filter { filter.admits($0) }
                if !admitted.isEmpty { try await writer.write(ByteBuffer(string: admitted.map(\.sseFrame).joined())) }
                cursor = last.id
            }
            sent = max(sent, cursor)
        }
        // Everything that waits goes out in one write: under load, many commits per flush.
        while let items = await mailbox.next() {
            var out = ByteBuffer()
            var heartbeat = false
            for item in items {
                switch item {
                case .heartbeat:
                    heartbeat = true
                case .events(let events):
                    for framed in events where framed.event.id > sent && filter.admits(framed.event) {
                        out.writeImmutableBuffer(framed.frame)
                    }
                    if let last = events.last { sent = max(sent, last.event.id) }
                }
            }
            if out.readableBytes > 0 {
                try await writer.write(out)
            } else if heartbeat {
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
            }
        }
    }

    /// The `Last-Event-ID` header, else the `lastEventId` query value, as sent (the header wins when
    /// both are given; an empty one counts as absent). A value this log never issued, malformed
    /// ones included, is answered with `reset` (``ReplayStart``), never refused: a refusal would
    /// end a browser's EventSource for good.
    private static func lastEventId(_ request: Request) -> String? {
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!], !header.isEmpty { return header }
        guard let query = request.uri.queryParameters["lastEventId"], !query.isEmpty else { return nil }
        return String(query)
    }
}
