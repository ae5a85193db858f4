import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UploadModel

/// Reads `GET /api/v1/snapshot` (see ``SnapshotView``) for a program's own thread: every call
/// blocks the calling thread until the answer arrives or `timeout` passes. It is for threads that
/// may wait (the dashboard's terminal thread); it must never be called from a task of the
/// cooperative pool or from an event loop (NIO traps the latter).
public struct SnapshotClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public let server: URL
    let token: String
    let http: HTTPClient
    let timeout: TimeAmount

    /// Creates a client; a call that gets no full answer within `timeout` fails as unreachable.
    public init(server: URL, token: String, http: HTTPClient = UploadHTTP.shared, timeout: TimeAmount = .seconds(10)) {
        self.server = server
        self.token = token
        self.http = http
        self.timeout = timeout
    }

    /// Reads `view` with `parameters` (query name → value; nil values are left out), blocking the
    /// calling thread.
    ///
    /// - Throws: ``ClientError/server(status:code:message:)`` when the server refused (its code and
    ///   message), ``ClientError/unreachable(_:)`` when it could not be reached in time, and
    ///   ``ClientError/protocolError(_:)`` when the answer is not a snapshot.
    public func read(_ view: SnapshotView, _ parameters: [String: String?] = [:]) throws -> SnapshotAnswer {
        var components = URLComponents(url: server.appendingPathComponent("api/v1/snapshot"), resolvingAgainstBaseURL: false)!
        var items = [URLQueryItem(name: "view", value: view.rawValue)]
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            if let value { items.append(URLQueryItem(name: name, value: value)) }
        }
        components.queryItems = items
        // `+` is a space to some query parsers: always send it escaped.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw ClientError.protocolError("cannot make a snapshot URL from \(server)") }
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Accept", value: "application/json")
        let response: HTTPClient.Response
        do {
            let request = try HTTPClient.Request(url: url.absoluteString, method: .GET, headers: headers)
            response = try http.execute(request: request, deadline: .now() + timeout).wait()
        } catch {
            throw ClientError.unreachable("cannot reach \(server.absoluteString): \(ControllerClient.describe(error))")
        }
        let body = response.body.map { Data($0.readableBytesView) } ?? Data()
        guard response.status == .ok else {
            throw ControllerClient.error(status: Int(response.status.code), body: body)
        }
        do {
            return try UploadJSON.decoder().decode(SnapshotAnswer.self, from: body)
        } catch {
            throw ClientError.protocolError("the server's snapshot answer is not upman's: \(error)")
        }
    }
}
