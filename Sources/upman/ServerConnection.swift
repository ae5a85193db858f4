import ArgumentParser
import Foundation

/// `--server` / `--token` / `--data`: how every client command finds the server and its token.
/// Flags first, then `UPMAN_SERVER` / `UPMAN_TOKEN`, then `DATA/admin.token`.
struct ServerConnection: ParsableArguments {
    @Option(help: "The upman server. [default: $UPMAN_SERVER or http://127.0.0.1:8080]")
    var server: String?

    @Option(help: "API token. [default: $UPMAN_TOKEN, else the admin token in --data]")
    var token: String?

    @Option(name: .customLong("data"), help: "Data directory whose admin.token to use when no token is given. [default: ./upman-data]")
    var dataDirectory: String?

    /// The server URL.
    func serverURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        try Self.serverURL(server, environment: environment)
    }

    /// The server URL a `--server` value (or the environment, or the default) names.
    static func serverURL(_ server: String?, environment: [String: String]) throws -> URL {
        let text = server ?? environment["UPMAN_SERVER"] ?? "http://127.0.0.1:8080"
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw CLIError("--server must be an http(s) URL such as http://127.0.0.1:8080, not '\(text)'")
        }
        return url
    }

    /// The token to send.
    func resolvedToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try Self.token(token, dataDirectory: dataDirectory, environment: environment)
    }

    /// The token a `--token` value (or the environment, or the data directory's admin token) gives.
    static func token(_ token: String?, dataDirectory: String?, environment: [String: String]) throws -> String {
        if let token, !token.isEmpty { return token }
        if let token = environment["UPMAN_TOKEN"], !token.isEmpty { return token }
        let folder = dataDirectory ?? environment["UPMAN_DATA"] ?? "./upman-data"
        let file = URL(fileURLWithPath: folder).appendingPathComponent("admin.token")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw CLIError("no token: pass --token, set UPMAN_TOKEN, or point --data at the server's data directory (no \(file.path))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
