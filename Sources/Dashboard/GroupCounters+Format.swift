import UploadModel

extension GroupCounters {
    /// `completed/total` files, as the FILES columns and the totals lines show them.
    var filesDone: String { "\(Format.count(completedFiles))/\(Format.count(totalFiles))" }
    /// `uploaded/total` bytes, as the BYTES columns and the totals lines show them.
    var bytesDone: String { "\(Format.bytes(bytesUploaded))/\(Format.bytes(totalBytes))" }
}
