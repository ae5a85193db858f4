import TestSupport
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Talks to a running `upman serve` the way an uploader does, with plain HTTP.
struct ControllerCalls {
    let url: String
    let token: String

    /// Sends one controller action and returns the JSON answer.
    func call(_ body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url + "/api/v1/controller")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
        let data = try await response.body.collect(upTo: 1 << 20)
        let object = try JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any] ?? [:]
        guard response.status.code == 200 else { throw ControllerCallError(status: Int(response.status.code), body: "\(object)") }
        return object
    }

    /// PUTs bytes to a signed URL; `md5` overrides the Content-MD5 header (to make a part fail),
    /// `crc32c` adds an `x-amz-checksum-crc32c` header.
    @discardableResult
    func put(_ url: String, bytes: [UInt8], md5: String? = nil, crc32c: String? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-MD5", value: md5 ?? Data(Insecure.MD5.hash(data: bytes)).base64EncodedString())
        if let crc32c { request.headers.add(name: "x-amz-checksum-crc32c", value: crc32c) }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
