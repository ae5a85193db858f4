import Foundation
import Testing

/// Whose token a row sends.
enum TusAuth: Hashable {
    /// The admin token.
    case admin
    /// A token of this user, made on first use with `upman token create --user`.
    case user(String)
    /// No Authorization header.
    case none
    /// `Authorization: Bearer` with this value.
    case bearer(String)
}

/// Something an answer must show, with the words a failure prints.
struct TusCheck {
    let description: String
    let holds: (TusResponse, TusTable) -> Bool

    /// The header equals `value` (after `{name}` substitution, see `TusTable.substitute`).
    static func header(_ name: String, _ value: String) -> TusCheck {
        TusCheck(description: "\(name): \(value)") { response, table in response.header(name) == table.substitute(value) }
    }

    /// The header is there.
    static func present(_ name: String) -> TusCheck {
        TusCheck(description: "has \(name)") { response, _ in response.header(name) != nil }
    }

    /// The header is not there.
    static func absent(_ name: String) -> TusCheck {
        TusCheck(description: "no \(name)") { response, _ in response.header(name) == nil }
    }

    /// The header is there and `predicate` holds for its value.
    static func header(_ name: String, _ what: String, _ predicate: @escaping (String) -> Bool) -> TusCheck {
        TusCheck(description: "\(name) \(what)") { response, _ in response.header(name).map(predicate) ?? false }
    }

    /// Anything about the answer.
    static func that(_ what: String, _ predicate: @escaping (TusResponse, TusTable) -> Bool) -> TusCheck {
        TusCheck(description: what, holds: predicate)
    }

    /// A comma-separated header lists exactly these items, in any order.
    static func list(_ name: String, exactly items: Set<String>) -> TusCheck {
        header(name, "lists exactly \(items.sorted())") { Set(TusTable.items($0)) == items }
    }

    /// A comma-separated header lists at least these items.
    static func list(_ name: String, including items: Set<String>) -> TusCheck {
        header(name, "includes \(items.sorted())") { items.isSubset(of: Set(TusTable.items($0))) }
    }

    /// `Upload-Expires` is an HTTP date in the future.
    static var expiresInTheFuture: TusCheck {
        header("Upload-Expires", "is an HTTP date in the future") { value in
            TusTable.httpDate(value).map { $0 > Date() } ?? false
        }
    }

    /// The Location header is `http://127.0.0.1:PORT/files/ses_...` of this server.
    static var locationOfASession: TusCheck {
        that("Location is <server>/files/ses_…") { response, table in
            guard let location = response.header("Location"), location.hasPrefix(table.bed.endpoint) else { return false }
            let id = location.dropFirst(table.bed.endpoint.count)
            return id.hasPrefix("ses_") && !id.contains("/")
        }
    }
}

/// One row of a protocol table: a request and what its answer must show. Every answer must
/// also carry `Tus-Resumable: 1.0.0`, and every error but HEAD's a JSON error body.
struct TusRow {
    var name: String
    var method: String
    /// A path on the server (`/files/`), or `@name` for an upload a row before captured.
    var target: String
    var headers: [String: String]
    var body: [UInt8]?
    var auth: TusAuth
    /// The Tus-Resumable header sent (nil: none).
    var resumable: String?
    var status: Set<Int>
    var checks: [TusCheck]
    /// Keeps the answer's Location under this name for later rows (`@name`, `{name}`).
    var capture: String?

    init(_ name: String, _ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8]? = nil,
         auth: TusAuth = .admin, resumable: String? = "1.0.0", status: Set<Int>, checks: [TusCheck] = [], capture: String? = nil) {
        self.name = name
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.auth = auth
        self.resumable = resumable
        self.status = status
        self.checks = checks
        self.capture = capture
    }

    /// A PATCH of `body` at `offset` with the right Content-Type.
    static func patch(_ name: String, _ target: String, offset: Int, _ body: [UInt8], headers: [String: String] = [:],
                      auth: TusAuth = .admin, status: Set<Int>, checks: [TusCheck] = []) -> TusRow {
        TusRow(name, "PATCH", target, headers: ["Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset)]
                .merging(headers) { $1 }, body: body, auth: auth, status: status, checks: checks)
    }

    /// A HEAD that expects 200 and these checks.
    static func head(_ name: String, _ target: String, auth: TusAuth = .admin, _ checks: [TusCheck]) -> TusRow {
        TusRow(name, "HEAD", target, auth: auth, status: [200], checks: checks)
    }
}

/// Runs protocol rows in order against one server, remembering the uploads they create.
final class TusTable {
    let bed: TusBed
    /// Uploads' Location URLs by the name a row captured them under.
    private(set) var uploads: [String: String] = [:]
    /// Further `{name}` substitutions.
    var values: [String: String] = [:]
    private var tokens: [String: String] = [:]

    init(_ bed: TusBed) { self.bed = bed }

    /// The Location URL captured as `name`.
    func location(_ name: String) -> String { uploads[name] ?? "<no upload \(name)>" }

    /// The session id (last path element) of the upload captured as `name`.
    func sessionId(_ name: String) -> String { String(location(name).split(separator: "/").last ?? "") }

    /// `{name}` → the captured upload's path (`/files/ses_…`), `{name.url}` → its URL,
    /// `{key}` → `values[key]`.
    func substitute(_ text: String) -> String {
        guard text.contains("{") else { return text }
        var result = text
        for (name, url) in uploads {
            result = result.replacingOccurrences(of: "{\(name).url}", with: url)
            result = result.replacingOccurrences(of: "{\(name)}", with: URL(string: url)?.path ?? url)
        }
        for (key, value) in values { result = result.replacingOccurrences(of: "{\(key)}", with: value) }
        return result
    }

    private func token(_ auth: TusAuth) async throws -> String? {
        switch auth {
        case .admin: return bed.adminToken
        case .none: return nil
        case .bearer(let value): return value
        case .user(let name):
            if let token = tokens[name] { return token }
            let token = try await bed.userToken(name)
            tokens[name] = token
            return token
        }
    }

    /// Sends one row, records every check that fails, and answers the response.
    @discardableResult
    func send(_ row: TusRow, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TusResponse {
        let url = row.target.hasPrefix("@") ? location(String(row.target.dropFirst())) : bed.url + substitute(row.target)
        var headers: [(String, String)] = []
        if let resumable = row.resumable { headers.append(("Tus-Resumable", resumable)) }
        if let token = try await token(row.auth) { headers.append(("Authorization", "Bearer \(token)")) }
        for (name, value) in row.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, substitute(value))) }
        let response = try await bed.curl(row.method, url, headers: headers, body: row.body)

        var failed: [String] = []
        if !row.status.contains(response.status) { failed.append("status \(response.status), wanted \(row.status.sorted())") }
        if response.header("Tus-Resumable") != "1.0.0" { failed.append("Tus-Resumable: 1.0.0 on every answer") }
        if response.status >= 400, row.method != "HEAD", response.errorBody == nil {
            failed.append("a JSON body {\"error\":{\"code\",\"message\"}}")
        }
        for check in row.checks where !check.holds(response, self) { failed.append(check.description) }
        if !failed.isEmpty {
            Issue.record("row '\(row.name)' (\(row.method) \(url)): \(failed.joined(separator: "; "))\n\(response.summary)",
                         sourceLocation: sourceLocation)
        }
        if let name = row.capture {
            if let location = response.header("Location") {
                uploads[name] = location.hasPrefix("http") ? location : bed.url + location
            } else {
                Issue.record("row '\(row.name)': no Location to keep as '\(name)'", sourceLocation: sourceLocation)
            }
        }
        return response
    }

    /// Sends the rows in order.
    func run(_ rows: [TusRow], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for row in rows { try await send(row, sourceLocation: sourceLocation) }
    }

    /// The items of a comma-separated header.
    static func items(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An HTTP date (IMF-fixdate, as RFC 9110 wants it sent).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
