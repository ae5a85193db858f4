#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation
import UploadModel

/// The embedded store: bytes go to a folder on this machine through the server's own
/// `PUT /storage/<sessionId>/<partNumber>` route, reached only by signed, expiring URLs.
///
/// Each upload is one preallocated file in `uploads/`; parts are written straight at their
/// offsets, so completing is a rename into `objects/`, never a copy.
public struct DiskStorage: ObjectStorage {
    /// The folder holding `uploads/` and `objects/`.
    public let root: URL
    /// The server's base URL that signed part URLs point to.
    public let address: ServerAddress
    /// Signs and checks part URLs.
    public let signer: URLSigner
    /// The configured size limit, if any (without one, the filesystem's own size is the limit).
    public let capacity: DiskCapacity?
    /// Whether bytes are synced to the disk before they are acknowledged.
    public let durability: Durability

    /// Creates the store, making its folders if needed; `capacity` limits the bytes it keeps.
    public init(root: URL, baseURL: URL, signer: URLSigner, capacity: Int64? = nil, durability: Durability = .durable) throws {
        self.root = root
        self.address = ServerAddress(baseURL)
        self.signer = signer
        self.durability = durability
        for folder in ["uploads", "objects"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        self.capacity = capacity.map { DiskCapacity(limit: $0, root: root) }
    }

    /// The path of the route that receives a part.
    public static func partPath(sessionId: String, partNumber: Int) -> String {
        "/storage/\(sessionId)/\(partNumber)"
    }

    /// What a part URL's signature covers besides method, path and expiry.
    public static func identity(sessionId: String, part: PlannedPart) -> String {
        "\(sessionId):\(part.partNumber):\(part.offset):\(part.size)"
    }

    /// The in-progress file of a session.
    func uploadFile(_ sessionId: String) -> URL {
        root.appendingPathComponent("uploads").appendingPathComponent(ObjectKey.safe(sessionId) + ".upload")
    }

    /// The finished object's file; refuses keys that could leave `objects/`.
    func objectFile(_ key: String) throws(UploadError) -> URL {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"), !key.contains("\0"),
              segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else {
            throw UploadError(.invalidArgument, "object key \(key.debugDescription) is not safe")
        }
        return root.appendingPathComponent("objects").appendingPathComponent(key)
    }

    /// Creates the upload file at its full size (sparse until parts arrive); durable, its directory
    /// entry is synced too, so parts synced into it later are found after a power failure.
    public func begin(_ upload: StorageUpload) async throws -> String? {
        let file = uploadFile(upload.sessionId)
        let path = file.path
        let folder = file.deletingLastPathComponent().path
        let size = upload.plan.fileSize
        let durable = durability == .durable
        try await BlockingIO.run("create upload file") {
            let fd = open(path, O_WRONLY | O_CREAT, 0o600)
            guard fd >= 0 else { throw StorageError.io("create upload file", errno: errno) }
            defer { close(fd) }
            guard ftruncate(fd, off_t(size)) == 0 else {
                throw StorageError.io("size upload file", errno: errno)
            }
            if durable { try Self.syncDirectory(folder, what: "sync the uploads folder") }
        }
        return nil
    }

    /// `fsync(2)` of a folder, so the names created or renamed in it survive a power failure.
    /// Blocks: call it on the blocking thread pool.
    static func syncDirectory(_ path: String, what: String) throws(UploadError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw StorageError.io(what, errno: errno) }
        defer { close(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw StorageError.io(what, errno: errno)
        }
    }

    /// `BASE/storage/<session>/<part>?expires=…&signature=…`.
    public func partURL(_ upload: StorageUpload, part: PlannedPart, expiresAt: Date) throws -> URL {
        let path = Self.partPath(sessionId: upload.sessionId, partNumber: part.partNumber)
        let expires = Int64(expiresAt.timeIntervalSince1970)
        let signature = signer.signature(
            method: "PUT", path: path, expires: expires,
            identity: Self.identity(sessionId: upload.sessionId, part: part))
        var components = URLComponents(url: address.baseURL.appendingPathComponent(String(path.dropFirst())), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "expires", value: String(expires)),
            URLQueryItem(name: "signature", value: signature),
        ]
        return components.url!
    }

    /// Whether a PUT to `path` with these query values was signed for `part` of `sessionId`.
    public func verify(path: String, expires: Int64, signature: String, sessionId: String, part: PlannedPart, now: Date) -> Bool {
        signer.verify(
            signature: signature, method: "PUT", path: path, expires: expires,
            identity: Self.identity(sessionId: sessionId, part: part), now: now)
    }

    /// Opens a writer for one part of an upload; `computeSHA256` also hashes its bytes with SHA-256
    /// as they arrive (see ``ReceivedPart/sha256``).
    public func partWriter(
        sessionId: String, part: PlannedPart, checksums: PartChecksums, computeSHA256: Bool = false
    ) async throws(UploadError) -> PartWriter {
        try await PartWriter.opening(
            path: uploadFile(sessionId).path, part: part, declared: checksums, computeSHA256: computeSHA256,
            capacity: capacity, durability: durability)
    }

    /// Opens the upload file of `sessionId` for bytes that arrive in order from `offset` on (a tus
    /// PATCH: see ``UploadFileAppender``).
    ///
    /// - Throws: `notFound` when the upload file is gone; `storageError` when it cannot be opened.
    public func appender(sessionId: String, at offset: Int64) async throws(UploadError) -> UploadFileAppender {
        let path = uploadFile(sessionId).path
        let file = try await BlockingIO.run("open upload file") {
            try OpenFile.existing(path, O_WRONLY, missing: "the upload file of session \(sessionId)", what: "open upload file")
        }
        return UploadFileAppender(file: file, offset: offset, capacity: capacity, durability: durability)
    }

    /// Renames the upload file into place (durable: and syncs the folder that now names it); the
    /// ETag is the part's for one part, else `md5(part ETags)-N` in S3's shape (see
    /// ``combinedETag(_:)``). Completing again after success returns the same ETag.
    public func complete(_ upload: StorageUpload, parts: [CompletedPart]) async throws -> String {
        let source = uploadFile(upload.sessionId)
        let target = try objectFile(upload.objectKey)
        let etag = Self.combinedETag(parts)
        let sessionId = upload.sessionId
        let durable = durability == .durable
        try await BlockingIO.run("move finished upload into place") {
            let manager = FileManager.default
            if !manager.fileExists(atPath: source.path) {
                if manager.fileExists(atPath: target.path) { return }
                throw StorageError.missing("upload of session \(sessionId)")
            }
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard rename(source.path, target.path) == 0 else {
                throw StorageError.io("move finished upload into place", errno: errno)
            }
            if durable {
                try Self.syncDirectory(target.deletingLastPathComponent().path, what: "sync the object's folder")
            }
        }
        return etag
    }

    /// Undoes ``complete(_:parts:)`` whose record could not be written: moves the object's file back
    /// to the upload file, so the session can take its bytes again. Does nothing when the upload
    /// file exists or the object does not.
    public func reopen(_ upload: StorageUpload) async throws {
        let sessionId = upload.sessionId, objectKey = upload.objectKey
        _ = try await BlockingIO.run("move an unrecorded object back") {
            try self.restoreUnrecordedCompletion(sessionId: sessionId, objectKey: objectKey)
        }
    }

    /// ``reopen(_:)`` itself, blocking (for the start-up check, when no request is under way):
    /// returns whether it moved the object back.
    public func restoreUnrecordedCompletion(sessionId: String, objectKey: String) throws(UploadError) -> Bool {
        let target = uploadFile(sessionId)
        guard let source = try? objectFile(objectKey) else { return false }
        let manager = FileManager.default
        guard !manager.fileExists(atPath: target.path), manager.fileExists(atPath: source.path) else { return false }
        guard rename(source.path, target.path) == 0 else {
            throw StorageError.io("move an unrecorded object back", errno: errno)
        }
        return true
    }

    /// True: the server's own `PUT /storage/...` route receives every part and records it as it lands.
    public var recordsPartsOnArrival: Bool { true }

    /// The disk store keeps no part list of its own (each part is recorded as it lands), so this
    /// is empty while the upload file exists. A missing upload file means the bytes are gone
    /// (`uploadGone`), or that a complete moved them into place and its record was lost.
    public func uploadedParts(_ upload: StorageUpload) async throws -> [StoredPart]? {
        let path = uploadFile(upload.sessionId).path
        if try await BlockingIO.run("look for the upload file", { FileManager.default.fileExists(atPath: path) }) { return [] }
        throw UploadError(.uploadGone, "the upload file of session \(upload.sessionId) is gone")
    }

    /// Removes the upload file.
    public func abort(_ upload: StorageUpload) async throws {
        let file = uploadFile(upload.sessionId)
        try await BlockingIO.run("remove upload file") { try self.removeIfPresent(file) }
    }

    /// The sessions that have an upload file in `uploads/`.
    public func uploadSessionIds() throws -> [String] {
        let folder = root.appendingPathComponent("uploads").path
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".upload") }
            .map { String($0.dropLast(".upload".count)) }
            .sorted()
    }

    /// Removes a session's upload file, if any.
    public func removeUpload(sessionId: String) throws {
        try removeIfPresent(uploadFile(sessionId))
    }

    /// Removes the object's file.
    public func delete(key: String) async throws {
        let file = try objectFile(key)
        try await BlockingIO.run("remove object") { try self.removeIfPresent(file) }
    }

    /// Reads the object in 1 MiB chunks, each read on the blocking thread pool.
    public func read(key: String, consume: (Data) async throws -> Bool) async throws {
        let url = try objectFile(key)
        let path = url.path
        let file = try await BlockingIO.run("open object") {
            try OpenFile.existing(path, O_RDONLY, missing: "object \(key)", what: "open object \(key)")
        }
        defer { file.close() }
        while true {
            let chunk = try await BlockingIO.run("read object") { try file.read(upTo: 1 << 20, what: "read object \(key)") }
            guard !chunk.isEmpty else { return }
            guard try await consume(chunk) else { return }
            // Hashing gigabytes must not hold a thread of the pool that serves requests.
            await Task.yield()
        }
    }

    /// The object's own file.
    public func localFile(key: String) async throws -> (url: URL, temporary: Bool) {
        let url = try objectFile(key)
        let path = url.path
        guard try await BlockingIO.run("look for object", { FileManager.default.fileExists(atPath: path) }) else {
            throw StorageError.missing("object \(key)")
        }
        return (url, false)
    }

    /// The object file's size; a file on disk keeps no ETag of its own.
    public func objectInfo(key: String) async throws -> StoredObject? {
        let path = try objectFile(key).path
        return try await BlockingIO.run("look for object") {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return StoredObject(size: Int64(info.st_size), etag: nil)
        }
    }

    /// The ETag of a finished object: a single part's own, or, as S3 forms a multipart object's,
    /// `md5(the parts' ETag bytes in order)-N` for N parts. The disk store's part ETags are CRC-32Cs
    /// (see ``ReceivedPart/etag``), so this hashes 4 bytes per part, never the object.
    public static func combinedETag(_ parts: [CompletedPart]) -> String {
        let sorted = parts.sorted { $0.partNumber < $1.partNumber }
        if sorted.count == 1 { return EntityTag(sorted[0].etag)?.quoted ?? sorted[0].etag }
        var joined = [UInt8]()
        for part in sorted {
            joined += hexBytes(EntityTag(part.etag)?.opaque ?? part.etag)
        }
        let digest = Hex.lowercase(Insecure.MD5.hash(data: joined))
        return "\"\(digest)-\(sorted.count)\""
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }

    private func removeIfPresent(_ url: URL) throws {
        let path = url.path
        var failure: Int32 = 0
        let attempt = { () -> Int32 in
            let result = unlink(path)
            if result != 0 { failure = errno }
            return result
        }
        let result = capacity?.remove(path: path, attempt) ?? attempt()
        guard result == 0 || failure == ENOENT else {
            throw StorageError.io("remove \(url.lastPathComponent)", errno: failure)
        }
    }
}
