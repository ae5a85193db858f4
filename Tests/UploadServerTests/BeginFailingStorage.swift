import Foundation
import ObjectStorage
import Synchronization
import UploadModel

/// A storage that keeps nothing and records which uploads were begun and aborted; `begin` fails
/// (503 `storageError`) for an object key ending in `fail.bin`, after a short pause so that other
/// uploads of the same batch are begun first.
final class BeginFailingStorage: ObjectStorage {
    private let log = Mutex<(begun: Set<String>, aborted: Set<String>)>(([], []))

    /// Session ids begun and never aborted.
    var leftOpen: Set<String> { log.withLock { $0.begun.subtracting($0.aborted) } }
    /// How many uploads were begun.
    var begunCount: Int { log.withLock { $0.begun.count } }

    func begin(_ upload: StorageUpload) async throws -> String? {
        if upload.objectKey.hasSuffix("fail.bin") {
            try await Task.sleep(for: .milliseconds(50))
            throw UploadError(.storageError, "the test storage refuses \(upload.objectKey)")
        }
        log.withLock { _ = $0.begun.insert(upload.sessionId) }
        return nil
    }

    func abort(_ upload: StorageUpload) async throws {
        log.withLock { _ = $0.aborted.insert(upload.sessionId) }
    }

    func partURL(_ upload: StorageUpload, part: PlannedPart, expiresAt: Date) throws -> URL {
        URL(string: "http://127.0.0.1:1/\(upload.sessionId)/\(part.partNumber)")!
    }

    func complete(_ upload: StorageUpload, parts: [CompletedPart]) async throws -> String { throw UploadError(.storageError, "unused") }
    func delete(key: String) async throws {}
    func read(key: String, consume: (Data) async throws -> Bool) async throws { throw UploadError(.storageError, "unused") }
    func localFile(key: String) async throws -> (url: URL, temporary: Bool) { throw UploadError(.storageError, "unused") }
    func objectInfo(key: String) async throws -> StoredObject? { nil }
}
