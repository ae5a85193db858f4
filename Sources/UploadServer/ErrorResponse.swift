import Hummingbird
import NIOCore
import UploadModel

/// Maps whatever a route throws to the ``UploadError`` a client is answered with.
public enum ErrorResponse {
    /// The error a client gets for `error`: an ``UploadError`` as it is, Hummingbird's own errors,
    /// too-large bodies and undecodable JSON as their codes; anything else is `internalError`, whose
    /// message names only `requestId` (the detail goes to the log under that id, never to the client).
    public static func uploadError(from error: any Error, requestId: String) -> UploadError {
        if let upload = error as? UploadError { return upload }
        if let http = error as? HTTPError {
            switch http.status {
            case .contentTooLarge: return UploadError(.payloadTooLarge, "request body is too large")
            case .notFound: return UploadError(.notFound, http.body ?? "no such route")
            case .methodNotAllowed: return UploadError(.methodNotAllowed, "method not allowed")
            default:
                return UploadError(UploadError.Code("httpError", httpStatus: Int(http.status.code)), http.body ?? http.status.reasonPhrase)
            }
        }
        if error is NIOTooManyBytesError { return UploadError(.payloadTooLarge, "request body is too large") }
        if error is DecodingError { return UploadError(.badRequest, RequestDecoder.describe(error)) }
        return UploadError(.internalError, "internal error; request id \(requestId)")
    }
}
