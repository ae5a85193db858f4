import ArgumentParser
import Foundation
import Logging
import ObjectStorage
import ServiceLifecycle
import UploadModel
import UploadServer

/// `upman serve`: the session controller with the embedded disk store, SSE feed and jobs.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the session controller (HTTP JSON API, disk or S3 storage, SSE feed, jobs).",
        usage: "upman serve [--SETTING VALUE ...] [--print-config]",
        discussion: ServeSettings.helpText)

    @Flag(help: "Print the settings this command line would run with, as TOML (secrets redacted), and exit.")
    var printConfig = false

    /// The settings' flags, read by ``SettingArguments`` from ``ServeSettings/declarations``.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        let settings: ServeSettings
        do {
            let flags = try SettingArguments.parse(self.settings, settings: ServeSettings.declarations)
            settings = try ServeSettings.resolve(
                flags: flags, environment: ProcessInfo.processInfo.environment, configPath: flags["config"])
        } catch {
            throw CLIError("\(error)")
        }
        if printConfig {
            FileHandle.standardOutput.write(Data(settings.printed.utf8))
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = EscapingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "upman.serve")
        let files = OpenFileLimit.raise()
        if files < 4096 { logger.warning("open-file limit is \(files); each connection takes one (raise it with ulimit -n)") }
        let server: UploadServer
        do {
            if let s3 = settings.s3 {
                server = try UploadServer.withS3Storage(settings.server, s3: s3, logger: logger)
            } else {
                server = try UploadServer.withDiskStorage(settings.server, logger: logger)
            }
        } catch {
            throw CLIError("cannot start: \(error)")
        }
        if let s3 = settings.s3 {
            // Not fatal: the service may come up after upman; every request will say so meanwhile.
            do {
                if try await !S3Storage(configuration: s3).bucketExists() {
                    logger.warning("bucket \(s3.bucket) does not exist at \(s3.endpoint.absoluteString)")
                }
            } catch {
                logger.warning("cannot reach bucket \(s3.bucket): \(error)")
            }
        }
        let data = settings.server.dataDirectory.path
        let storageNote = settings.s3.map { "storage s3 \($0.endpoint.absoluteString) bucket \($0.bucket), " } ?? ""
        let databaseNote = server.store.isShared ? "database \(server.store.path), " : ""
        let group = server.serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]) { port in
            // The page, links and tus are where clients reach the server: public_url when set (a
            // balancer in front), else this instance's own address.
            let own = "http://\(settings.server.host):\(port)"
            let base = settings.server.publicURL.map { url in
                url.absoluteString.hasSuffix("/") ? String(url.absoluteString.dropLast()) : url.absoluteString
            } ?? own
            let line = "upman serve listening on \(own) (\(databaseNote)\(storageNote)data \(data), admin token in \(data)/admin.token); "
                + "upload page \(base)/ (links: upman token create --upload-link --server \(base))"
                + (settings.server.tusPath.isEmpty ? "" : "; tus \(base)\(settings.server.tusPath)") + "\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await group.run()
    }
}
