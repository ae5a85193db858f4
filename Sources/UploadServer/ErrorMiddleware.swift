import Hummingbird
import Logging
import UploadModel

/// Answers every error as upman's JSON error body with its status; logs what is the server's fault.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let upload = ErrorResponse.uploadError(from: error)
            metrics.countError(upload.code.rawValue)
            if upload.code.httpStatus >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return ErrorResponse.response(for: upload)
        }
    }
}
