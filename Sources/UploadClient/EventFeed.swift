import AsyncHTTPClient
import Foundation
import NIOCore
import UploadModel

/// Follows `GET /api/v1/events`: parses the stream, remembers the last event id, and reconnects
/// with `Last-Event-ID` and growing pauses when the connection drops, until cancelled.
public struct EventFeed: Sendable {
    let server: URL
    let token: String
    let groupId: String?
    let http: HTTPClient

    /// Creates a feed of every change the token may see, or of one group's.
    public init(server: URL, token: String, groupId: String? = nil, http: HTTPClient = UploadHTTP.shared) {
        self.server = server
        self.token = token
        self.groupId = groupId
        self.http = http
    }

    /// The items of the feed, starting after `lastEventId` (or live when nil).
    ///
    /// When the stream ends or cannot be opened it reconnects with `Last-Event-ID` after a pause
    /// from ``ReconnectBackoff``: never sooner than the server's `retry:`, and growing until a
    /// stream delivers an event or stays open a while. A 401 or 404 ends the feed.
    public func items(after lastEventId: Int64? = nil, backoff: ReconnectBackoff = ReconnectBackoff()) -> AsyncStream<FeedItem> {
        AsyncStream { continuation in
            let task = Task {
                var last = lastEventId
                var backoff = backoff
                while !Task.isCancelled {
                    var attempt = StreamAttempt()
                    let reason: String
                    do {
                        try await stream(after: last, attempt: &attempt) { item in
                            if case .event(let event) = item { last = event.id }
                            if case .reset(let latest?) = item { last = latest }
                            continuation.yield(item)
                        }
                        reason = "the server closed the stream"
                    } catch is CancellationError {
                        break
                    } catch let error as ClientError where error.status == 401 || error.status == 404 {
                        continuation.yield(.reconnecting(attempt: backoff.failures + 1, reason: error.description, after: .infinity))
                        break
                    } catch {
                        reason = "\(error)"
                    }
                    if let retry = attempt.retryMilliseconds { backoff.serverAsked(retryMilliseconds: retry) }
                    let pause = backoff.streamEnded(receivedEvent: attempt.receivedEvent, openFor: attempt.openFor)
                    continuation.yield(.reconnecting(attempt: backoff.failures, reason: reason, after: pause))
                    try? await Task.sleep(for: .seconds(pause))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// What one connection to the stream came to.
    private struct StreamAttempt {
        var openedAt: ContinuousClock.Instant?
        var receivedEvent = false
        var retryMilliseconds: Int?

        /// Seconds the stream was open (0 when it never opened).
        var openFor: TimeInterval {
            guard let openedAt else { return 0 }
            let elapsed = ContinuousClock.now - openedAt
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    private func stream(after lastEventId: Int64?, attempt: inout StreamAttempt, deliver: (FeedItem) -> Void) async throws {
        var components = URLComponents(url: server.appendingPathComponent("api/v1/events"), resolvingAgainstBaseURL: false)!
        if let groupId { components.queryItems = [URLQueryItem(name: "groupId", value: groupId)] }
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: String(lastEventId)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: .distantFuture)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ClientError.unreachable("cannot reach the event feed: \(ControllerClient.describe(error))")
        }
        guard response.status.code == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw ControllerClient.error(status: Int(response.status.code), body: Data(body.readableBytesView))
        }
        attempt.openedAt = .now
        deliver(.connected)
        var parser = SSEParser()
        for try await buffer in response.body {
            let messages = parser.feed(buffer.readableBytesView)
            attempt.retryMilliseconds = parser.retry
            for message in messages {
                if message.event == EventKind.reset.rawValue {
                    attempt.receivedEvent = true
                    deliver(.reset(latestId: message.id.flatMap(Int64.init)))
                    continue
                }
                guard let kind = EventKind(rawValue: message.event), let id = message.id.flatMap(Int64.init) else { continue }
                var event = UploadEvent(id: id, kind: kind, entityId: "", groupId: "", userId: "", data: message.data, createdAt: Date())
                if let change = try? event.change() {
                    event.entityId = change.entityId
                    event.groupId = change.groupId
                    if case .deleted = change { event.deleted = true }
                }
                attempt.receivedEvent = true
                deliver(.event(event))
            }
        }
    }
}
