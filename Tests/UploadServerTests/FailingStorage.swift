import Foundation
import ObjectStorage
import UploadModel

/// A storage whose every call fails with an error upman has no code for (a plain Swift error whose
/// text must never reach a client), to drive the server's `internalError` path.
struct FailingStorage: ObjectStorage {
    /// The error it throws; its description is the secret the tests look for.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The text of every failure.
    let secret: String

    func begin(_ upload: StorageUpload) async throws -> String? { throw Failure(description: secret) }
    func partURL(_ upload: StorageUpload, part: PlannedPart, expiresAt: Date) throws -> URL { throw Failure(description: secret) }
    func complete(_ upload: StorageUpload, parts: [CompletedPart]) async throws -> String { throw Failure(description: secret) }
    func abort(_ upload: StorageUpload) async throws { throw Failure(description: secret) }
    func delete(key: String) async throws { throw Failure(description: secret) }
    func read(key: String, consume: (Data) async throws -> Bool) async throws { throw Failure(description: secret) }
    func localFile(key: String) async throws -> (url: URL, temporary: Bool) { throw Failure(description: secret) }
    func objectInfo(key: String) async throws -> StoredObject? { throw Failure(description: secret) }
}
