import HTTPTypes
import Hummingbird

/// Cross-origin access for browsers on other origins (the Fetch standard's CORS protocol): off
/// unless `cors_origin` names origins. A request from a listed origin goes through Hummingbird's
/// `CORSMiddleware`, which answers its preflight and sets `Access-Control-Allow-Origin` to that
/// origin (never `*`, and no credentials: tokens travel in `Authorization`, not cookies); this adds
/// `Access-Control-Expose-Headers` to actual responses too, so a page can read a part PUT's `ETag`
/// and any answer's `X-Request-Id`, and a tus client (Uppy, tus-js-client) its `Location` and `Upload-*`
/// headers. A request from any other origin gets no CORS headers at all,
/// so the browser keeps its page out.
struct CORSPolicy<Context: RequestContext>: RouterMiddleware {
    /// The headers a page on an allowed origin may read.
    static var exposedHeaders: [String] { ["ETag", "X-Request-Id"] + TusProtocol.responseFields }

    let origins: Set<String>
    let cors: CORSMiddleware<Context>

    /// Allows `origins` (e.g. `https://app.example.com`).
    init(origins: [String]) {
        self.origins = Set(origins)
        self.cors = CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: [
                .authorization, .contentType, .accept, .init("Last-Event-ID")!, .init("X-Request-Id")!, .init("Content-MD5")!,
                .init("x-amz-checksum-crc32c")!, .init("x-amz-checksum-sha256")!,
            ] + TusProtocol.requestFields.map { HTTPField.Name($0)! },
            allowMethods: [.get, .post, .put, .head, .options, .patch, .delete],
            allowCredentials: false,
            exposedHeaders: Self.exposedHeaders,
            maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        var response = try await cors.handle(request, context: context, next: next)
        if request.method != .options {
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders.joined(separator: ", ")
        }
        return response
    }
}
