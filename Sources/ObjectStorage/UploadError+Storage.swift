import UploadModel

extension UploadError.Code {
    /// The storage no longer has the session's multipart upload (S3 `NoSuchUpload`): its bytes
    /// are gone; that never means the upload finished.
    public static let uploadGone = UploadError.Code("uploadGone", httpStatus: 409)
}
