import TestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// Reads a Server-Sent Events stream in the background, collecting frames. A frame whose `data:` does not
/// match the OpenAPI document's `x-event-data` schemas for its `event:` fails the test that started the reader.
final class SSEReader: Sendable {
    struct Frame: Sendable, Equatable {
        var id: Int64?
        var event: String
        var data: String
    }

    private let frames = Mutex<[Frame]>([])
    private let comments = Mutex<Int>(0)
    private let status = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Where the reader was started: a frame that does not match the document is reported there.
    private let sourceLocation: SourceLocation

    /// Starts reading `url` with `headers`.
    init(url: String, headers: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) {
        self.sourceLocation = sourceLocation
        let started = Task { [self] in
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
                status.withLock { $0 = Int(response.status.code) }
                var pending = ""
                for try await buffer in response.body {
                    pending += String(buffer: buffer)
                    while let range = pending.range(of: "\n\n") {
                        parse(String(pending[..<range.lowerBound]))
                        pending.removeSubrange(..<range.upperBound)
                    }
                }
            } catch {}
        }
        task.withLock { $0 = started }
    }

    private func parse(_ block: String) {
        var frame = Frame(id: nil, event: "message", data: "")
        var dataLines: [String] = []
        var isComment = true
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { continue }
            isComment = false
            if line.hasPrefix("id: ") { frame.id = Int64(line.dropFirst(4)) }
            if line.hasPrefix("event: ") { frame.event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { dataLines.append(String(line.dropFirst(6))) }
        }
        if isComment || dataLines.isEmpty {
            comments.withLock { $0 += 1 }
            return
        }
        frame.data = dataLines.joined(separator: "\n")
        for problem in OpenAPIConformance.shared?.problems(event: frame.event, data: frame.data) ?? [] {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
        frames.withLock { $0.append(frame) }
    }

    /// Frames so far.
    var received: [Frame] { frames.withLock { $0 } }
    /// Comment blocks (connect notice, heartbeats) so far.
    var commentCount: Int { comments.withLock { $0 } }
    /// The response status once known.
    var responseStatus: Int? { status.withLock { $0 } }

    /// Waits until `condition` holds on the frames; gives up after `seconds` in which no frame
    /// arrived (``Patience/quiet`` by default) and returns whether it held.
    @discardableResult
    func wait(seconds: Double = Patience.quiet, until condition: ([Frame]) -> Bool) async -> Bool {
        await Patience.wait(quiet: seconds, progress: { received.count + commentCount }, until: { condition(received) })
    }

    /// Waits until the stream is open (its first block arrived) or answered otherwise.
    func waitUntilConnected(seconds: Double = Patience.quiet) async {
        _ = await Patience.wait(quiet: seconds, progress: { 0 }, until: { commentCount > 0 || (responseStatus ?? 200) != 200 })
    }

    /// Closes the stream.
    func close() {
        task.withLock { $0?.cancel() }
    }
}
