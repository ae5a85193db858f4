/// The status of one part of a file's upload.
public enum PartStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case pending = "PENDING"
    case uploading = "UPLOADING"
    case uploaded = "UPLOADED"
    case failed = "FAILED"
}
