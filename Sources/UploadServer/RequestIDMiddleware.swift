import HTTPTypes
import Hummingbird
import Logging

/// Gives every request one id: the client's `X-Request-Id` when it is sane (1 to 128 letters, digits,
/// `-`, `_`, `.` or `:`), else the id Hummingbird made. The id goes on the context, on the request's
/// logger as `hb.request.id` (replacing Hummingbird's, so ``UpmanRequestContext/requestId``, Hummingbird's
/// `context.id` and the log agree) and on the response as `X-Request-Id`.
struct RequestIDMiddleware: RouterMiddleware {
    /// `X-Request-Id`.
    static let header = HTTPField.Name("X-Request-Id")!

    /// Chooses the request's id, then stamps it on the response.
    func handle(
        _ request: Request, context: UpmanRequestContext, next: (Request, UpmanRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let given = Self.accepted(request.headers[Self.header]) {
            context.requestId = given
        }
        context.logger[metadataKey: "hb.request.id"] = .string(context.requestId)
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestId
        return response
    }

    /// `value` if it is a sane request id, else nil: a client's id is taken only when it cannot
    /// garble a log line or a header.
    static func accepted(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ byte in
                  (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-_.:".utf8.contains(byte)
              })
        else { return nil }
        return value
    }
}
