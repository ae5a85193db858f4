import Hummingbird
import Logging
import UploadModel

/// Answers every error as upman's JSON error body with its status (an ``UploadError`` answers for
/// itself), counts it by code, and logs what is the server's fault at error level with the detail;
/// the logger carries the request's id, the same the client gets in `X-Request-Id`.
struct ErrorMiddleware: RouterMiddleware {
    let metrics: ServerMetrics
    /// The routes' methods: a known path asked with another method answers 405 with `Allow`.
    let routes: RouteMethods
    /// The tus endpoint's path (empty: none): what is answered under it says `Tus-Resumable` too.
    var tusPath = ""

    func handle(
        _ request: Request, context: UpmanRequestContext, next: (Request, UpmanRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var upload = ErrorResponse.uploadError(from: error, requestId: context.requestId)
            var allowed: [String]?
            if let http = error as? HTTPError, http.status == .notFound,
               let methods = routes.allowed(for: request.uri.path), !methods.contains(request.method.rawValue)
            {
                upload = UploadError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(methods.joined(separator: " or "))")
                allowed = methods
            }
            metrics.countError(upload.code.rawValue)
            if upload.code.httpStatus >= 500 {
                context.logger.error("request failed", metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "code": "\(upload.code.rawValue)",
                    "error": "\(String(reflecting: error))",
                ])
            }
            var response = try upload.response(from: request, context: context)
            if let allowed { response.headers[.allow] = allowed.joined(separator: ", ") }
            if !tusPath.isEmpty, (request.uri.path + "/").hasPrefix(tusPath) {
                response.headers[TusProtocol.resumable] = TusProtocol.version
            }
            return response
        }
    }
}
