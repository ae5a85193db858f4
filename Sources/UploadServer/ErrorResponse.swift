import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UploadModel

/// Turns failures into upman's JSON error responses: `{"error":{"code":…,"message":…}}`.
public enum ErrorResponse {
    /// The HTTP response for an upman error.
    public static func response(for error: UploadError) -> Response {
        let body = (try? UploadJSON.string(ErrorEnvelope(error.detail))) ?? "{\"error\":{\"code\":\"internalError\",\"message\":\"\"}}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if error.code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(
            status: HTTPResponse.Status(code: error.code.httpStatus), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }

    /// Maps anything thrown while serving a request to an upman error a client can act on.
    public static func uploadError(from error: any Error) -> UploadError {
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
        return UploadError(UploadError.Code("internalError", httpStatus: 500), "internal error: \(error)")
    }
}
