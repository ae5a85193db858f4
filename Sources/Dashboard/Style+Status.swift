import UploadModel

extension Style {
    /// The role of a status name (group, file, part or job).
    public static func forStatus(_ status: String) -> Style {
        switch status {
        case "PENDING", "QUEUED": .statusPending
        case "UPLOADING", "IN_PROGRESS", "RUNNING", "PROCESSING", "UPLOADED": .statusActive
        case "COMPLETED", "SUCCEEDED": .statusDone
        case "FAILED": .statusFailed
        case "CANCELLED", "EXPIRED": .statusStopped
        default: .normal
        }
    }

    /// The role of a part's status in the part map (an uploaded part is done).
    public static func forPart(_ status: PartStatus) -> Style {
        switch status {
        case .pending: .statusPending
        case .uploading: .statusActive
        case .uploaded: .statusDone
        case .failed: .statusFailed
        }
    }
}
