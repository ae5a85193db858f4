import Hummingbird

/// Puts the caller of a route that needs a token on the request context: `Authorization: Bearer TOKEN`
/// through the ``Authenticator``, or 401 `unauthorized` (with `WWW-Authenticate: Bearer`) before the
/// route sees the request. Where ``queryTokens`` is set (the event stream), a request without that
/// header may carry an events token as `?access_token=`, since a browser's EventSource cannot set
/// headers.
struct AuthenticationMiddleware: RouterMiddleware {
    /// The token table.
    let authenticator: Authenticator
    /// Whether `?access_token=` (events tokens only) is taken when the header is absent.
    var queryTokens = false

    /// Authenticates the request, then hands it on with its ``UpmanRequestContext/principal`` set.
    func handle(
        _ request: Request, context: UpmanRequestContext, next: (Request, UpmanRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if queryTokens, request.headers[.authorization] == nil, let token = request.uri.queryParameters["access_token"] {
            context.principal = try await authenticator.principal(forQueryToken: String(token))
        } else {
            context.principal = try await authenticator.authenticate(request.headers)
        }
        return try await next(request, context)
    }
}
