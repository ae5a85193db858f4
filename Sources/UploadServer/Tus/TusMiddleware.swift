import HTTPTypes
import Hummingbird

/// The envelope of every tus route: requests other than OPTIONS must speak tus 1.0.0 (412 with
/// `Tus-Version` otherwise), every answer, errors included, carries `Tus-Resumable`, and errors
/// are answered here, in upman's JSON error body, with tus's statuses where it has its own (``TusError``).
struct TusMiddleware: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: UpmanRequestContext, next: (Request, UpmanRequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            let given = request.headers[TusProtocol.resumable]
            guard request.method == .options || given == TusProtocol.version else { throw TusError.version(given) }
            response = try await next(request, context)
        } catch {
            let upload = ErrorResponse.uploadError(from: error, requestId: context.requestId)
            metrics.countError(upload.code.rawValue)
            if upload.code.httpStatus >= 500 {
                context.logger.error("tus request failed", metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "code": "\(upload.code.rawValue)",
                    "error": "\(String(reflecting: error))",
                ])
            }
            response = upload.jsonResponse
            if upload.code == .tusVersionUnsupported { response.headers[TusProtocol.versionField] = TusProtocol.version }
        }
        response.headers[TusProtocol.resumable] = TusProtocol.version
        return response
    }
}
