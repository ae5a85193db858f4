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
    public func items(after lastEventId: Int64? = nil) -> AsyncStream<FeedItem> {
        AsyncStream { continuation in
            let task = Task {
                var last = lastEventId
                var attempt = 0
                while !Task.isCancelled {
                    do {
                        try await stream(after: last) { item in
                            if case .event(let event) = item { last = event.id }
                            if case .reset(let latest?) = item { last = latest }
                            if case .connected = item { attempt = 0 }
                            continuation.yield(item)
                        }
                        attempt += 1
                        continuation.yield(.reconnecting(attempt: attempt, reason: "the server closed the stream"))
                    } catch is CancellationError {
                        break
                    } catch let error as ClientError where error.status == 401 || error.status == 404 {
                        continuation.yield(.reconnecting(attempt: attempt + 1, reason: error.description))
                        break
                    } catch {
                        attempt += 1
                        continuation.yield(.reconnecting(attempt: attempt, reason: "\(error)"))
                    }
                    let pause = min(30.0, 0.25 * pow(2, Double(min(attempt, 7))))
                    try? await Task.sleep(for: .seconds(pause * Double.random(in: 0.8...1.2)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func stream(after lastEventId: Int64?, deliver: (FeedItem) -> Void) async throws {
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
        deliver(.connected)
        var parser = SSEParser()
        for try await buffer in response.body {
            for message in parser.feed(buffer.readableBytesView) {
                if message.event == EventKind.reset.rawValue {
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
                deliver(.event(event))
            }
        }
    }
}
