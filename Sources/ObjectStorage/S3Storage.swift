import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import UploadModel

/// Object storage on an S3-compatible service (MinIO, AWS S3): uploaders PUT straight to
/// presigned URLs (PutObject for a single PUT, UploadPart for parts); upman itself sends the
/// signed control requests (CreateMultipartUpload, ListParts, CompleteMultipartUpload,
/// AbortMultipartUpload, HeadObject, GetObject, DeleteObject).
public struct S3Storage: ObjectStorage {
    /// Where the service is, the bucket and the keys.
    public let configuration: S3Configuration
    let signer: SigV4Signer
    let http: HTTPClient
    /// The clock signatures are dated with (tests pin it).
    let now: @Sendable () -> Date

    /// The longest a presigned URL may live (7 days, S3's limit).
    public static let maximumExpiry: TimeInterval = 7 * 86_400

    /// A client that reports a refused connection at once rather than retrying it until a deadline.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = .seconds(120)
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// Creates the store.
    public init(configuration: S3Configuration, http: HTTPClient = S3Storage.sharedHTTPClient,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        self.http = http
        self.now = now
    }

    // MARK: ObjectStorage

    /// CreateMultipartUpload for a multipart plan (returns its UploadId); nothing for a single PUT.
    public func begin(_ upload: StorageUpload) async throws -> String? {
        guard upload.plan.method == .multipart else { return nil }
        let reply = try await send("POST", key: upload.objectKey, query: [("uploads", "")], operation: "CreateMultipartUpload",
                                   headers: [("content-type", "application/octet-stream")])
        return try S3Reply.uploadId(reply.body)
    }

    /// A presigned PutObject URL (single) or UploadPart URL (multipart), valid until `expiresAt`
    /// (at most 7 days).
    public func partURL(_ upload: StorageUpload, part: PlannedPart, expiresAt: Date) throws -> URL {
        var query: [(String, String)] = []
        if upload.plan.method == .multipart {
            guard let uploadId = upload.uploadId else {
                throw UploadError(.storageError, "session \(upload.sessionId) has no S3 upload id")
            }
            query = [("partNumber", String(part.partNumber)), ("uploadId", uploadId)]
        }
        return presign("PUT", key: upload.objectKey, query: query, expiresAt: expiresAt)
    }

    /// A presigned URL for `method` on `key`.
    public func presign(_ method: String, key: String, query: [(String, String)] = [], expiresAt: Date) -> URL {
        let date = now()
        let seconds = Int(min(max(1, expiresAt.timeIntervalSince(date).rounded(.down)), Self.maximumExpiry))
        let path = configuration.encodedPath(key: key)
        let items = signer.presignedQuery(
            method: method, encodedPath: path, host: configuration.host, query: query, expires: seconds, date: date)
        return configuration.url(encodedPath: path, query: items)
    }

    /// Single PUT: checks the object arrived whole and returns its ETag. Multipart:
    /// CompleteMultipartUpload with the recorded ETags. When S3 no longer knows the upload, the
    /// object is accepted only if it carries exactly the ETag these parts make (an earlier complete
    /// that succeeded); otherwise ``UploadError/Code/uploadGone``. A 200 whose result has an empty
    /// ETag (Ceph's radosgw) completed the object: its ETag is read with HeadObject.
    public func complete(_ upload: StorageUpload, parts: [CompletedPart]) async throws -> String {
        guard upload.plan.method == .multipart, let uploadId = upload.uploadId else {
            guard let object = try await objectInfo(key: upload.objectKey) else {
                throw UploadError(.conflict, "object \(upload.objectKey) is not in the bucket: the single PUT has not arrived")
            }
            guard object.size == upload.plan.fileSize else {
                throw UploadError(.conflict, "object \(upload.objectKey) is \(object.size) bytes, not the \(upload.plan.fileSize) planned")
            }
            return object.etag ?? parts.first?.etag ?? ""
        }
        let sorted = parts.sorted { $0.partNumber < $1.partNumber }
        let body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + sorted.map { "<Part><PartNumber>\($0.partNumber)</PartNumber><ETag>\(S3XMLElement.escape(Self.quoted($0.etag)))</ETag></Part>" }.joined()
            + "</CompleteMultipartUpload>"
        let answered: String?
        do {
            do {
                let reply = try await send("POST", key: upload.objectKey, query: [("uploadId", uploadId)],
                                           operation: "CompleteMultipartUpload", body: Data(body.utf8),
                                           headers: [("content-type", "application/xml")])
                answered = try S3Reply.completedETag(reply.body)
            } catch let error as UploadError where error.code == .storageError {
                // Some servers fail a complete of an unknown upload without saying NoSuchUpload:
                // ListParts tells whether the upload is still there.
                _ = try await uploadedParts(upload)
                throw error
            }
        } catch let error as UploadError where error.code == .uploadGone {
            let expected = DiskStorage.combinedETag(sorted)
            if let object = try await objectInfo(key: upload.objectKey),
               EntityTag.same(object.etag, expected), object.size == upload.plan.fileSize {
                return object.etag ?? expected
            }
            throw error
        }
        if let answered { return answered }
        return try await completedObjectETag(upload)
    }

    /// The ETag of an object CompleteMultipartUpload answered 200 for without one (radosgw's empty
    /// `<ETag></ETag>`), read with HeadObject; the object must be there at its planned size, else
    /// ``UploadError/Code/storageError`` (retryable: a complete sent again answers as before).
    private func completedObjectETag(_ upload: StorageUpload) async throws -> String {
        guard let object = try await objectInfo(key: upload.objectKey) else {
            throw UploadError(.storageError, "S3 CompleteMultipartUpload answered without an ETag and object \(upload.objectKey) is not in the bucket")
        }
        guard object.size == upload.plan.fileSize, let etag = object.etag, !etag.isEmpty else {
            throw UploadError(.storageError, "S3 CompleteMultipartUpload answered without an ETag and HeadObject of \(upload.objectKey) gives \(object.size) bytes (planned \(upload.plan.fileSize)) and ETag '\(object.etag ?? "")'")
        }
        return etag
    }

    /// The key of the object that holds the unfinished part of a tus upload to `objectKey` (upman
    /// sends a tus upload's parts itself and keeps the bytes of the one not yet whole there).
    public static func tusPartialKey(_ objectKey: String) -> String { objectKey + ".tus-partial" }

    /// AbortMultipartUpload (a vanished upload is fine); for a single PUT, DeleteObject. Either way
    /// the object of an unfinished tus part (``tusPartialKey(_:)``) goes too.
    public func abort(_ upload: StorageUpload) async throws {
        try await delete(key: Self.tusPartialKey(upload.objectKey))
        guard upload.plan.method == .multipart, let uploadId = upload.uploadId else {
            try await delete(key: upload.objectKey)
            return
        }
        do {
            _ = try await send("DELETE", key: upload.objectKey, query: [("uploadId", uploadId)], operation: "AbortMultipartUpload")
        } catch let error as UploadError where error.code == .uploadGone || error.code == .notFound {
            return
        }
    }

    /// DeleteObject (a missing object is fine).
    public func delete(key: String) async throws {
        do {
            _ = try await send("DELETE", key: key, operation: "DeleteObject")
        } catch let error as UploadError where error.code == .notFound {
            return
        }
    }

    /// GetObject, streamed: each chunk goes to `consume` as it arrives.
    public func read(key: String, consume: (Data) async throws -> Bool) async throws {
        let response = try await execute("GET", key: key, query: [], operation: "GetObject", body: nil, headers: [])
        guard response.status.code == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw S3Reply.error(status: Int(response.status.code), body: Data(body.readableBytesView), operation: "GetObject")
        }
        for try await buffer in response.body {
            guard try await consume(Data(buffer.readableBytesView)) else { return }
        }
    }

    /// Downloads the object to a temporary file.
    public func localFile(key: String) async throws -> (url: URL, temporary: Bool) {
        let name = (key.split(separator: "/").last.map(String.init) ?? "object")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upman-\(UUID().uuidString)-\(ObjectKey.safe(name))")
        let path = url.path
        let fd = try await BlockingIO.run("create a temporary file") { () throws -> Int32 in
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw StorageError.io("create a temporary file for object \(key)", errno: errno) }
            return fd
        }
        let file = OpenFile(fd)
        do {
            defer { file.close() }
            var position: Int64 = 0
            try await read(key: key) { chunk in
                let buffer = ByteBuffer(bytes: chunk)
                let at = position
                try await BlockingIO.run("write a temporary file") {
                    try file.write(buffer, at: at, capacity: nil, what: "write a temporary file for object \(key)")
                }
                position += Int64(buffer.readableBytes)
                return true
            }
        } catch {
            try? await BlockingIO.run("remove a temporary file") { _ = unlink(path) }
            throw error
        }
        return (url, true)
    }

    /// ListParts, every page (1,000 parts each, following NextPartNumberMarker).
    public func uploadedParts(_ upload: StorageUpload) async throws -> [StoredPart]? {
        guard upload.plan.method == .multipart, let uploadId = upload.uploadId else { return nil }
        var parts: [StoredPart] = []
        var marker: Int? = nil
        repeat {
            var query = [("uploadId", uploadId), ("max-parts", "1000")]
            if let marker { query.append(("part-number-marker", String(marker))) }
            let reply = try await send("GET", key: upload.objectKey, query: query, operation: "ListParts")
            let page = try S3Reply.partsPage(reply.body)
            parts += page.parts
            guard let next = page.next, next != marker else { break }
            marker = next
        } while true
        return parts
    }

    /// One part as S3 holds it: ListParts with `part-number-marker` just before it and `max-parts` 1
    /// (one request, however many parts there are) for a multipart upload; HeadObject for a single
    /// PUT's part 1. Nil when S3 holds no such part.
    ///
    /// When that page does not start with the part, the whole list is read before saying the part
    /// is not there: some servers (moto) take the marker for a position in the list of parts rather
    /// than a part number, and skip parts when some before it are missing.
    public func storedPart(_ upload: StorageUpload, partNumber: Int) async throws -> StoredPart? {
        guard upload.plan.method == .multipart, let uploadId = upload.uploadId else {
            guard partNumber == 1, let object = try await objectInfo(key: upload.objectKey) else { return nil }
            return StoredPart(partNumber: 1, etag: object.etag ?? "", size: object.size)
        }
        var query = [("uploadId", uploadId), ("max-parts", "1")]
        if partNumber > 1 { query.append(("part-number-marker", String(partNumber - 1))) }
        let reply = try await send("GET", key: upload.objectKey, query: query, operation: "ListParts")
        if let part = try S3Reply.partsPage(reply.body).parts.first, part.partNumber == partNumber { return part }
        return try await uploadedParts(upload)?.first { $0.partNumber == partNumber }
    }

    /// HeadObject: size and ETag, or nil when there is no such object.
    public func objectInfo(key: String) async throws -> StoredObject? {
        let response = try await execute("HEAD", key: key, query: [], operation: "HeadObject", body: nil, headers: [])
        switch response.status.code {
        case 200:
            let size = response.headers["Content-Length"].first.flatMap(Int64.init) ?? 0
            return StoredObject(size: size, etag: response.headers["ETag"].first)
        case 404:
            return nil
        default:
            throw S3Reply.error(status: Int(response.status.code), body: Data(), operation: "HeadObject")
        }
    }

    /// HeadBucket: whether the bucket exists and these credentials may use it (403 throws).
    public func bucketExists() async throws -> Bool {
        let head = try await execute("HEAD", key: "", query: [], operation: "HeadBucket", body: nil, headers: [])
        switch head.status.code {
        case 200: return true
        case 404: return false
        default: throw S3Reply.error(status: Int(head.status.code), body: Data(), operation: "HeadBucket")
        }
    }

    /// Creates the bucket unless it exists (for development servers and tests).
    public func createBucketIfMissing() async throws {
        if try await bucketExists() { return }
        var body: Data? = nil
        if configuration.region != "us-east-1" {
            body = Data("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        }
        _ = try await send("PUT", key: "", operation: "CreateBucket", body: body)
    }

    // MARK: Requests

    /// A signed request whose answer must be 2xx; returns the collected body.
    func send(_ method: String, key: String, query: [(String, String)] = [], operation: String, body: Data? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, body: Data) {
        let response = try await execute(method, key: key, query: query, operation: operation, body: body, headers: headers)
        let collected = try await response.body.collect(upTo: 16 << 20)
        let data = Data(collected.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else { throw S3Reply.error(status: status, body: data, operation: operation) }
        return (status, data)
    }

    /// Sends one request signed with an Authorization header.
    func execute(_ method: String, key: String, query: [(String, String)], operation: String, body: Data?,
                 headers extra: [(String, String)]) async throws -> HTTPClientResponse {
        let date = now()
        let path = configuration.encodedPath(key: key)
        let payload = body ?? Data()
        let payloadHash = Hex.lowercase(SHA256.hash(data: payload))
        var headers = extra + [
            ("host", configuration.host), ("x-amz-date", SigV4Signer.amzDate(date)), ("x-amz-content-sha256", payloadHash),
        ]
        if let token = configuration.credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        let signature = signer.sign(method: method, encodedPath: path, query: query, headers: headers, payloadHash: payloadHash, date: date)
        var request = HTTPClientRequest(url: configuration.url(encodedPath: path, query: query).absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.headers.replaceOrAdd(name: "authorization", value: signature.authorization)
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try await http.execute(request, timeout: .seconds(120))
        } catch {
            throw UploadError(.storageError, "S3 \(operation) could not reach \(configuration.endpoint.absoluteString): \(error)")
        }
    }

    /// `"etag"` with exactly one pair of quotes, as CompleteMultipartUpload takes it: a recorded tag
    /// written either way (``EntityTag``); one that does not read as a tag is sent as it is, and
    /// S3 answers InvalidPart.
    static func quoted(_ etag: String) -> String {
        EntityTag(etag)?.quoted ?? etag
    }
}
