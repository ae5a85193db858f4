/// An error with a stable code, a message for people and the HTTP status it maps to.
public struct UploadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, extensible error code; its HTTP status travels with it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The wire name of the code, as it appears in `{"error":{"code":...}}`.
        public let rawValue: String
        /// The HTTP status a controller answers with for this code.
        public let httpStatus: Int

        /// Creates a code; prefer the predefined ones.
        public init(_ rawValue: String, httpStatus: Int) {
            self.rawValue = rawValue
            self.httpStatus = httpStatus
        }

        /// The request is malformed or a field is missing or of the wrong type.
        public static let badRequest = Code("badRequest", httpStatus: 400)
        /// A field is well-formed but its value is not acceptable.
        public static let invalidArgument = Code("invalidArgument", httpStatus: 422)
        /// No valid token was presented.
        public static let unauthorized = Code("unauthorized", httpStatus: 401)
        /// The token is valid but may not do this.
        public static let forbidden = Code("forbidden", httpStatus: 403)
        /// The named entity does not exist (or is not visible to this token).
        public static let notFound = Code("notFound", httpStatus: 404)
        /// The lifecycle does not allow this status change.
        public static let invalidTransition = Code("invalidTransition", httpStatus: 409)
        /// The entity is in a state where this request makes no sense.
        public static let conflict = Code("conflict", httpStatus: 409)
        /// A part is not in storage as reported: the storage holds no such part, or holds it with another
        /// entity tag or size (S3's `InvalidPart`). The part must be sent again; the session stays open.
        public static let invalidPart = Code("invalidPart", httpStatus: 409)
        /// The storage refused the order of the parts at completion (S3's `InvalidPartOrder`); the
        /// session stays open.
        public static let invalidPartOrder = Code("invalidPartOrder", httpStatus: 409)
        /// A part other than the last is smaller than the storage's minimum (5 MiB on S3) at
        /// completion (S3's `EntityTooSmall`); the part must be sent again and the session stays open.
        public static let entityTooSmall = Code("entityTooSmall", httpStatus: 409)
        /// A file is larger than upman (and S3) can take.
        public static let fileTooLarge = Code("fileTooLarge", httpStatus: 413)
        /// A body is larger than planned or allowed.
        public static let payloadTooLarge = Code("payloadTooLarge", httpStatus: 413)
        /// An upload link's byte allowance (`--max-bytes`) would be exceeded.
        public static let quotaExceeded = Code("quotaExceeded", httpStatus: 403)
        /// A requested part size is outside the allowed range.
        public static let invalidPartSize = Code("invalidPartSize", httpStatus: 422)
        /// The bytes received do not match the checksum that was sent with them.
        public static let checksumMismatch = Code("checksumMismatch", httpStatus: 422)
        /// The database is busy or unavailable; the request may be retried.
        public static let storeUnavailable = Code("storeUnavailable", httpStatus: 503)

        /// The storage has no room for the bytes.
        public static let storageFull = Code("storageFull", httpStatus: 507)
        /// The storage failed (I/O, permissions, an S3 error); the request may be retried.
        public static let storageError = Code("storageError", httpStatus: 503)
        /// The route exists but not for this method.
        public static let methodNotAllowed = Code("methodNotAllowed", httpStatus: 405)
        /// The server failed in a way it has no code for. The message names only a request id; the
        /// server's log holds the detail under that id.
        public static let internalError = Code("internalError", httpStatus: 500)
        /// tus: the upload was cancelled (by an operator or its uploader) or expired; it takes no
        /// more bytes.
        public static let gone = Code("gone", httpStatus: 410)
        /// tus: the request speaks another protocol version than 1.0.0, or none (`Tus-Resumable`).
        public static let tusVersionUnsupported = Code("tusVersionUnsupported", httpStatus: 412)
        /// tus: a PATCH body that is not `application/offset+octet-stream`.
        public static let unsupportedMediaType = Code("unsupportedMediaType", httpStatus: 415)
        /// tus: another request is writing the upload.
        public static let locked = Code("locked", httpStatus: 423)
        /// tus: a PATCH body differs from its `Upload-Checksum` (tus's own status 460); none of it was kept.
        public static let uploadChecksumMismatch = Code("uploadChecksumMismatch", httpStatus: 460)

        /// Every code upman answers with (the OpenAPI document lists them all).
        public static let all: [Code] = [
            .badRequest, .invalidArgument, .unauthorized, .forbidden, .notFound, .invalidTransition,
            .conflict, .invalidPart, .invalidPartOrder, .entityTooSmall, .fileTooLarge, .payloadTooLarge, .quotaExceeded,
            .invalidPartSize, .checksumMismatch, .storeUnavailable, .storageFull, .storageError, .methodNotAllowed,
            .internalError, .gone, .tusVersionUnsupported, .unsupportedMediaType, .locked, .uploadChecksumMismatch,
        ]

        /// The wire name.
        public var description: String { rawValue }
    }

    /// The stable code.
    public var code: Code
    /// A one-line explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The error as it is recorded on an entity.
    public var detail: ErrorDetail { ErrorDetail(code: code.rawValue, message: message) }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
