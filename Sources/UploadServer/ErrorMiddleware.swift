import Hummingbird
import Logging
import UploadModel

/// Answers every error as upman's JSON error body with its status; logs what is the server's fault.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// The routes' methods: a known path asked with another method answers 405 with `Allow`.
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var upload = ErrorResponse.uploadError(from: error)
            var allowed: [String]?
            if let http = error as? HTTPError, http.status == .notFound,
               let methods = routes.allowed(for: request.uri.path), !methods.contains(request.method.rawValue)
            {
                upload = UploadError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(methods.joined(separator: " or "))")
                allowed = methods
            }
            metrics.countError(upload.code.rawValue)
            if upload.code.httpStatus >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            var response = ErrorResponse.response(for: upload)
            if let allowed { response.headers[.allow] = allowed.joined(separator: ", ") }
            return response
        }
    }
}
