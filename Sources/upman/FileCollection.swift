import UploadClient

/// What the paths given to `upman put` hold: the files to upload, in order, and what was left out.
struct FileCollection: Sendable {
    /// The files, ordered by their upload names' bytes.
    var files: [LocalFile]
    /// What was found but not taken, in the order found.
    var skipped: [SkippedEntry]
}
