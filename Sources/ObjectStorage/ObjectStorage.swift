import Foundation
import UploadModel

/// Where upload bytes live: the embedded disk store, or an S3-compatible service.
public protocol ObjectStorage: Sendable {
    /// Prepares storage for a session's bytes; returns the storage's upload id, if it has one.
    func begin(_ upload: StorageUpload) async throws -> String?

    /// A URL the uploader PUTs one part's bytes to, valid until `expiresAt`.
    func partURL(_ upload: StorageUpload, part: PlannedPart, expiresAt: Date) throws -> URL

    /// Joins the uploaded parts into the finished object and returns its ETag.
    func complete(_ upload: StorageUpload, parts: [CompletedPart]) async throws -> String

    /// Drops an unfinished upload's bytes (idempotent).
    func abort(_ upload: StorageUpload) async throws

    /// Removes a finished object (idempotent).
    func delete(key: String) async throws

    /// Reads a finished object from the start, handing `consume` chunks until it returns false
    /// or the object ends.
    func read(key: String, consume: (Data) async throws -> Bool) async throws

    /// A local file holding the finished object (for commands that need a path). `temporary`
    /// says the caller removes it when done.
    func localFile(key: String) async throws -> (url: URL, temporary: Bool)

    /// The finished object's size and ETag, or nil when there is none.
    func objectInfo(key: String) async throws -> StoredObject?

    /// The parts the storage holds for an unfinished multipart upload (S3 ListParts); nil when
    /// the storage keeps no such list of its own.
    func uploadedParts(_ upload: StorageUpload) async throws -> [StoredPart]?

    /// Whether upman's own routes receive every part and record it as it lands (the embedded disk
    /// store): the database's record of a part is then what the storage holds. Otherwise (S3) the
    /// uploader PUTs straight to the storage, and only ``storedPart(_:partNumber:)`` and
    /// ``uploadedParts(_:)`` tell what arrived.
    var recordsPartsOnArrival: Bool { get }

    /// Part `partNumber` as the storage holds it (its ETag and size), or nil when it holds none:
    /// S3 ListParts from that part on for a multipart upload, HeadObject for a single PUT (part 1).
    /// Throws ``UploadError/Code/uploadGone`` when the multipart upload is gone.
    func storedPart(_ upload: StorageUpload, partNumber: Int) async throws -> StoredPart?
}

extension ObjectStorage {
    /// The parts the storage holds for an unfinished multipart upload (S3 ListParts); nil when
    /// the storage keeps no such list of its own.
    public func uploadedParts(_ upload: StorageUpload) async throws -> [StoredPart]? { nil }

    /// False: the uploader sends bytes to the storage itself.
    public var recordsPartsOnArrival: Bool { false }

    /// The part from ``uploadedParts(_:)``, if the storage lists one of that number.
    public func storedPart(_ upload: StorageUpload, partNumber: Int) async throws -> StoredPart? {
        try await uploadedParts(upload)?.first { $0.partNumber == partNumber }
    }
}
