/// How a file's bytes travel: one signed PUT, or several parts.
public enum UploadMethod: String, Codable, Sendable, CaseIterable, Hashable {
    case single
    case multipart
}
