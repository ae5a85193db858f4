import ArgumentParser
import Foundation
import UploadServer
import UploadStore

/// `upman token`: API tokens.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    /// `upman token create`: a new token for a user; only its hash is stored.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it alone on stdout (only its hash is stored).")

        @OptionGroup var location: DatabaseLocation

        @Option(help: "The user the token acts for.")
        var user: String

        @Flag(help: "An admin (operator) token: sees and acts on every user's uploads.")
        var admin = false

        @Flag(help: "An upload link: prints a URL of the uploader page whose token may only create uploads and watch them.")
        var uploadLink = false

        @Option(help: "With --upload-link: the only group its uploads go into, by name.")
        var group: String?

        @Option(help: "With --upload-link: how long the link works, e.g. 30m, 24h, 7d. [default: 24h]")
        var expires: String?

        @Option(help: "With --upload-link: the most bytes its uploads may hold in all, e.g. 500MiB.")
        var maxBytes: String?

        @Option(help: "With --upload-link: the server's address as the browser reaches it (env UPMAN_SERVER). [default: http://127.0.0.1:8080]")
        var server: String?

        func validate() throws {
            guard !user.isEmpty, user.count <= 128, !user.contains("/"), !user.contains("\0") else {
                throw ValidationError("--user must be 1 to 128 characters, without '/'")
            }
            if !uploadLink, group != nil || expires != nil || maxBytes != nil || server != nil {
                throw ValidationError("--group, --expires, --max-bytes and --server go with --upload-link")
            }
            if uploadLink, admin { throw ValidationError("an upload link cannot be an admin token") }
            if let group, group.isEmpty || group.utf8.count > 512 || group.contains("\0") {
                throw ValidationError("--group must be 1 to 512 bytes, without NUL")
            }
            if let expires, (SettingSources.parseDuration(expires) ?? 0) <= 0 {
                throw ValidationError("--expires must be a duration such as 30m, 24h or 7d, not '\(expires)'")
            }
            if let maxBytes, (SettingSources.parseSize(maxBytes) ?? 0) <= 0 {
                throw ValidationError("--max-bytes must be a size such as 500MiB, not '\(maxBytes)'")
            }
        }

        func run() throws {
            do {
                if !location.isPostgres {
                    try FileManager.default.createDirectory(
                        at: URL(fileURLWithPath: location.path).deletingLastPathComponent(), withIntermediateDirectories: true)
                }
                let store = try UploadStore.open(location.path)
                guard uploadLink else {
                    print(try TokenIssuer.create(in: store, userId: user, admin: admin))
                    return
                }
                let base = try ServerConnection.serverURL(server, environment: ProcessInfo.processInfo.environment)
                let lifetime = expires.flatMap(SettingSources.parseDuration) ?? 86_400
                let token = try TokenIssuer.createUploadLink(
                    in: store, userId: user, groupName: group, expiresAt: Date().addingTimeInterval(lifetime),
                    maxBytes: maxBytes.flatMap(SettingSources.parseSize))
                print(Self.link(server: base.absoluteString, token: token, group: group))
            } catch {
                throw CLIError("cannot create token: \(error)")
            }
        }

        /// The uploader page's URL with the token (and group) in its fragment, which browsers never
        /// send to a server.
        static func link(server: String, token: String, group: String?) -> String {
            var fragment = URLComponents()
            fragment.queryItems = [URLQueryItem(name: "token", value: token)] + (group.map { [URLQueryItem(name: "group", value: $0)] } ?? [])
            let base = server.hasSuffix("/") ? String(server.dropLast()) : server
            return base + "/upload#" + (fragment.percentEncodedQuery ?? "")
        }
    }
}
