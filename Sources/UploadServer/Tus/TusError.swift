import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UploadModel

/// A refusal in tus's own terms, for the statuses the controller never answers: 410 (the upload
/// was cancelled or expired), 412 (another protocol version), 415 (a PATCH body of another media
/// type), 423 (another PATCH of the upload is under way) and 460 (`Upload-Checksum` mismatch).
/// Every other refusal is an ``UploadError`` with its usual status. Both answer upman's JSON error
/// body.
struct TusError: Error, Sendable {
    /// The HTTP status.
    var status: Int
    /// The stable code in the error body.
    var code: String
    /// What went wrong, for people.
    var message: String

    /// 412: the request speaks another version of tus, or none.
    static func version(_ given: String?) -> TusError {
        TusError(status: 412, code: "tusVersionUnsupported",
                 message: "this server speaks tus \(TusProtocol.version); the request says \(given.map { "Tus-Resumable: \($0)" } ?? "no Tus-Resumable")")
    }

    /// 415: a PATCH body must be `application/offset+octet-stream`.
    static func mediaType(_ given: String?) -> TusError {
        TusError(status: 415, code: "unsupportedMediaType",
                 message: "a PATCH body must be Content-Type: \(TusProtocol.offsetOctetStream), not \(given ?? "none")")
    }

    /// 410: the upload no longer takes bytes (cancelled by an operator or the uploader, or expired).
    static func gone(_ session: UploadSession) -> TusError {
        var message = "upload \(session.id) is \(session.status.rawValue)"
        if let actor = session.actedBy, session.status == .cancelled { message += " by \(actor)" }
        if let error = session.error { message += ": \(error.message)" }
        return TusError(status: 410, code: "uploadGone", message: message)
    }

    /// 423: another PATCH of the upload is still receiving bytes.
    static func locked(_ id: String) -> TusError {
        TusError(status: 423, code: "locked", message: "another request is writing upload \(id); try again once it has ended")
    }

    /// 460: the PATCH body's checksum differs from `Upload-Checksum`; nothing of it was kept.
    static func checksumMismatch(_ algorithm: String) -> TusError {
        TusError(status: 460, code: "checksumMismatch",
                 message: "the \(algorithm) checksum of the body does not match Upload-Checksum; the offset is unchanged, send the bytes again")
    }

    /// The answer to `error` on a tus route: a ``TusError`` or ``UploadError`` as it says, anything
    /// else as an internal error.
    static func response(for error: Error, requestId: String) -> (Response, code: String) {
        let (status, code, message): (Int, String, String)
        switch error {
        case let tus as TusError:
            (status, code, message) = (tus.status, tus.code, tus.message)
        case let upload as UploadError:
            (status, code, message) = (upload.code.httpStatus, upload.code.rawValue, upload.message)
        case let http as HTTPError:
            (status, code, message) = (http.status.code, http.status.code == 404 ? "notFound" : "badRequest", http.body ?? http.status.reasonPhrase)
        default:
            (status, code, message) = (500, UploadError.Code.internalError.rawValue, "internal error (request \(requestId))")
        }
        let body = (try? UploadJSON.string(ErrorEnvelope(ErrorDetail(code: code, message: message)))) ?? "{}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let response = Response(
            status: HTTPResponse.Status(code: status, reasonPhrase: status == 460 ? "Checksum Mismatch" : ""),
            headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
        return (response, code)
    }
}
