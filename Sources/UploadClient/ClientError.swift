/// What can go wrong for an uploader, each worded as one line for the person at the terminal.
public enum ClientError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The server answered with an error.
    case server(status: Int, code: String, message: String)
    /// The server could not be reached.
    case unreachable(String)
    /// A local file is missing, unreadable or not a regular file.
    case localFile(String)
    /// The local file is not the one the upload began with.
    case fileChanged(String)
    /// An operator cancelled the upload.
    case cancelled(String)
    /// The server answered something that is not upman's API.
    case protocolError(String)

    /// One line for people.
    public var description: String {
        switch self {
        case .server(let status, let code, let message):
            switch status {
            case 401: return "the server refused the token (\(message)); check --token or UPMAN_TOKEN"
            default: return "\(message) (\(code), HTTP \(status))"
            }
        case .unreachable(let message): return message
        case .localFile(let message): return message
        case .fileChanged(let message): return message
        case .cancelled(let message): return message
        case .protocolError(let message): return message
        }
    }

    /// The server's error code, when the server answered.
    public var code: String? {
        if case .server(_, let code, _) = self { return code }
        return nil
    }

    /// The HTTP status, when the server answered.
    public var status: Int? {
        if case .server(let status, _, _) = self { return status }
        return nil
    }

    /// What an `unreachable` message says when the connection was refused: the request never
    /// reached a server, so sending it again cannot repeat it.
    static let connectionRefused = "connection refused"

    /// Whether the connection was refused (nothing was sent).
    public var isConnectionRefused: Bool {
        if case .unreachable(let message) = self { return message.contains(Self.connectionRefused) }
        return false
    }

    /// Whether the server itself is away rather than answering: the transport failed, or a proxy
    /// in front of it answered 502, 504, or a 503 that is not upman's own (upman's 503s carry an
    /// error code, e.g. `storageError`, and are the server answering). Such failures are ridden out
    /// by ``ServerWait`` for its patience, not counted against a request's attempts.
    public var isServerAway: Bool {
        switch self {
        case .unreachable: return true
        case .server(let status, let code, _): return status == 502 || status == 504 || (status == 503 && code == "http503")
        default: return false
        }
    }

    /// Whether sending again may help: transport failures, 408, 429 and 5xx.
    public var isTransient: Bool {
        switch self {
        case .unreachable: return true
        case .server(let status, _, _): return status == 408 || status == 429 || status >= 500
        default: return false
        }
    }
}
