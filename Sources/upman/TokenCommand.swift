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

        func validate() throws {
            guard !user.isEmpty, user.count <= 128, !user.contains("/"), !user.contains("\0") else {
                throw ValidationError("--user must be 1 to 128 characters, without '/'")
            }
        }

        func run() throws {
            do {
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: location.path).deletingLastPathComponent(), withIntermediateDirectories: true)
                let store = try UploadStore(path: location.path)
                print(try TokenIssuer.create(in: store, userId: user, admin: admin))
            } catch {
                throw CLIError("cannot create token: \(error)")
            }
        }
    }
}
