import Hummingbird

/// Puts the caller of a route that needs a token on the request context: `Authorization: Bearer TOKEN`
/// through the ``Authenticator``, or 401 `unauthorized` (with `WWW-Authenticate: Bearer`) before the
/// route sees the request.
struct AuthenticationMiddleware: RouterMiddleware {
    /// The token table.
    let authenticator: Authenticator

    /// Authenticates the request, then hands it on with its ``UpmanRequestContext/principal`` set.
    func handle(
        _ request: Request, context: UpmanRequestContext, next: (Request, UpmanRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.principal = try await authenticator.authenticate(request.headers)
        return try await next(request, context)
    }
}
