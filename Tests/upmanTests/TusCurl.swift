import Foundation
import TestSupport

/// One answer of the tus endpoint as curl saw it: the final status line (after any
/// `100 Continue`), its headers by lower-cased name, and the body.
struct TusResponse {
    /// The HTTP status; 0 when curl got no answer at all (see `curlError`).
    var status: Int
    /// Header values by lower-cased name; a header sent twice has its values joined by ", ".
    var headers: [String: String]
    /// The body (empty for HEAD).
    var body: Data
    /// curl's own complaint when it failed (a refused connection, a reset, a timeout).
    var curlError: String?

    /// The value of `name`, looked up case-insensitively.
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The value of `name` as an integer, when it is one.
    func int(_ name: String) -> Int? { header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// `{"error":{"code":"...","message":"..."}}`, when the body is that.
    var errorBody: (code: String, message: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let error = object["error"] as? [String: Any],
              let code = error["code"] as? String, let message = error["message"] as? String else { return nil }
        return (code, message)
    }

    /// Status, headers and the start of the body, for failure messages.
    var summary: String {
        let lines = headers.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: "\n")
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return "HTTP \(status)\(curlError.map { " (curl: \($0))" } ?? "")\n\(lines)\n  body: \(text)"
    }
}

/// Sends tus requests with the curl binary, as a third-party client would: `curl -s -X METHOD
/// -H ... --data-binary @file`, the answer's headers dumped with `-D` and parsed here.
enum TusCurl {
    /// Sends one request. `body` goes through a file with `--data-binary`; HEAD uses `-I`.
    static func send(
        _ method: String, _ url: String, headers: [(String, String)], body: [UInt8]? = nil, scratch: TemporaryFolder
    ) async throws -> TusResponse {
        let id = UUID().uuidString.prefix(12)
        let headerFile = scratch.path("curl-\(id).headers")
        let bodyFile = scratch.path("curl-\(id).body")
        var arguments = ["curl", "-s", "-S", "--max-time", String(Patience.requestSeconds), "-D", headerFile, "-o", bodyFile]
        arguments += method == "HEAD" ? ["-I"] : ["-X", method]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let requestFile = scratch.path("curl-\(id).request")
            try Data(body).write(to: URL(fileURLWithPath: requestFile))
            arguments += ["--data-binary", "@" + requestFile]
        }
        arguments.append(url)
        let command = arguments
        let run = try await offPool { try runTool(command) }
        let dumped = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        let received = (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data()
        for file in [headerFile, bodyFile, scratch.path("curl-\(id).request")] { try? FileManager.default.removeItem(atPath: file) }
        var response = parse(dumped, body: method == "HEAD" ? Data() : received)
        if run.code != 0 { response.curlError = "exit \(run.code): \(run.output.trimmingCharacters(in: .whitespacesAndNewlines))" }
        return response
    }

    /// The last header block of a `-D` dump (interim `1xx` answers come first).
    static func parse(_ dumped: String, body: Data) -> TusResponse {
        let lines = dumped.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var status = 0
        var headers: [String: String] = [:]
        for line in lines {
            if line.hasPrefix("HTTP/") {
                let fields = line.split(separator: " ")
                let code = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
                status = code
                headers = [:]
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
        }
        return TusResponse(status: status, headers: headers, body: body)
    }
}
