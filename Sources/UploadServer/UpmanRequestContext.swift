import Hummingbird
import Logging
import UploadModel

/// What upman's routes and middleware know about a request besides the request itself: its id
/// (also the logger's `hb.request.id`) and, on the routes that take a token, who it acts for.
public struct UpmanRequestContext: RequestContext {
    /// Hummingbird's own per-request values.
    public var coreContext: CoreRequestContextStorage
    /// The request's id: a sane `X-Request-Id` the client sent, else the one Hummingbird made. Every
    /// response carries it, and so does every line logged through the request's logger
    /// (``RequestIDMiddleware``).
    public var requestId: String
    /// The caller, once ``AuthenticationMiddleware`` has checked its token; nil on routes without one.
    public var principal: Principal?

    /// Creates the context of a request that has just arrived.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        requestId = source.logger[metadataKey: "hb.request.id"]?.description ?? RequestID().description
    }

    /// The caller; 401 `unauthorized` on a route that ``AuthenticationMiddleware`` does not guard.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw UploadError(.unauthorized, "missing Authorization: Bearer TOKEN") }
        return principal
    }
}
