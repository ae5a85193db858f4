import UploadModel

/// The refusals of the tus endpoint that the controller never answers: 410 (the upload was
/// cancelled or expired), 412 (another protocol version), 415 (a PATCH body of another media
/// type), 423 (another PATCH of the upload is under way) and 460 (`Upload-Checksum` mismatch).
enum TusError {
    /// 412: the request speaks another version of tus, or none.
    static func version(_ given: String?) -> UploadError {
        UploadError(.tusVersionUnsupported,
                    "this server speaks tus \(TusProtocol.version); the request says \(given.map { "Tus-Resumable: \($0)" } ?? "no Tus-Resumable")")
    }

    /// 415: a PATCH body must be `application/offset+octet-stream`.
    static func mediaType(_ given: String?) -> UploadError {
        UploadError(.unsupportedMediaType, "a PATCH body must be Content-Type: \(TusProtocol.offsetOctetStream), not \(given ?? "none")")
    }

    /// 410: the upload no longer takes bytes (cancelled by an operator or the uploader, or expired).
    static func gone(_ session: UploadSession) -> UploadError {
        var message = "upload \(session.id) is \(session.status.rawValue)"
        if let actor = session.actedBy, session.status == .cancelled { message += " by \(actor)" }
        if let error = session.error { message += ": \(error.message)" }
        return UploadError(.gone, message)
    }

    /// 423: another PATCH of the upload is still receiving bytes.
    static func locked(_ id: String) -> UploadError {
        UploadError(.locked, "another request is writing upload \(id); try again once it has ended")
    }

    /// 460: the PATCH body's checksum differs from `Upload-Checksum`; nothing of it was kept.
    static func checksumMismatch(_ algorithm: String) -> UploadError {
        UploadError(.uploadChecksumMismatch,
                    "the \(algorithm) checksum of the body does not match Upload-Checksum; the offset is unchanged, send the bytes again")
    }
}
