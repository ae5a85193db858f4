import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UploadModel

/// An ``UploadError`` answers for itself: its code's status and upman's JSON error body
/// `{"error":{"code":…,"message":…}}`; a 401 also says `WWW-Authenticate: Bearer`.
extension UploadError: HTTPResponseError {
    /// The HTTP status of the error's code.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    /// The JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse
    }

    /// The JSON error response, without a request to answer.
    var jsonResponse: Response {
        let body = (try? UploadJSON.string(ErrorEnvelope(detail))) ?? "{\"error\":{\"code\":\"internalError\",\"message\":\"\"}}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
