import AsyncHTTPClient
import Foundation
import NIOCore
import UploadModel

extension S3Storage {
    /// UploadPart with the bytes in hand (the server, not the uploader, sends them: a tus upload's
    /// parts), carrying their CRC-32C as `x-amz-checksum-crc32c` so S3 checks them; returns the
    /// part's ETag.
    ///
    /// - Throws: `uploadGone` when the multipart upload is gone; `storageError` otherwise.
    public func uploadPart(_ upload: StorageUpload, partNumber: Int, body: Data, crc32c: UInt32) async throws -> String {
        guard let uploadId = upload.uploadId else {
            throw UploadError(.storageError, "session \(upload.sessionId) has no S3 upload id")
        }
        return try await put(key: upload.objectKey, query: [("partNumber", String(partNumber)), ("uploadId", uploadId)],
                             operation: "UploadPart", body: body, crc32c: crc32c)
    }

    /// PutObject of `body` under `key` (its CRC-32C sent as `x-amz-checksum-crc32c` when given);
    /// returns the object's ETag.
    public func putObject(key: String, body: Data, crc32c: UInt32?) async throws -> String {
        try await put(key: key, query: [], operation: "PutObject", body: body, crc32c: crc32c)
    }

    /// GetObject of a small object whole (at most `limit` bytes); nil when there is no such object.
    public func object(key: String, limit: Int) async throws -> Data? {
        let response = try await execute("GET", key: key, query: [], operation: "GetObject", body: nil, headers: [])
        let collected = try await response.body.collect(upTo: limit)
        let data = Data(collected.readableBytesView)
        let status = Int(response.status.code)
        if status == 404 { return nil }
        guard status == 200 else { throw S3Reply.error(status: status, body: data, operation: "GetObject") }
        return data
    }

    private func put(key: String, query: [(String, String)], operation: String, body: Data, crc32c: UInt32?) async throws -> String {
        var headers = [("content-type", "application/octet-stream")]
        if let crc32c { headers.append(("x-amz-checksum-crc32c", CRC32C.base64(crc32c))) }
        let response = try await execute("PUT", key: key, query: query, operation: operation, body: body, headers: headers)
        let collected = try await response.body.collect(upTo: 1 << 20)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw S3Reply.error(status: status, body: Data(collected.readableBytesView), operation: operation)
        }
        guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
            throw UploadError(.storageError, "S3 \(operation) of \(key) answered without an ETag")
        }
        return etag
    }
}
