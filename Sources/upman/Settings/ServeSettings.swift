import Foundation
import Logging
import ObjectStorage
import UploadModel
import UploadServer

/// The resolved settings of `upman serve`.
struct ServeSettings {
    /// What the server runs with.
    var server = ServerConfiguration()
    /// The log's level (default info).
    var logLevel = Logger.Level.info
    /// The S3-compatible bucket when `storage = "s3"`; nil for the embedded disk store.
    var s3: S3Configuration?

    /// `storage`: disk or s3, as given.
    var storage = "disk"
    /// The S3 settings as given; checked when `storage` is s3.
    var s3Settings = S3Settings()
    /// `minimum_part_size` as given; checked against `storage` once every setting is read.
    var minimumPartSize: Int64?
    /// `part_size` as given; checked against the minimum once every setting is read.
    var partSize: Int64?
    /// The settings that were given, by key, with the source each came from (for
    /// `--print-config`).
    var given: [String: (value: SettingValue, origin: SettingSources.Origin)] = [:]

    /// Reads every declared setting from flags (by key), then `UPMAN_*` environment variables,
    /// then the TOML file (`configPath`, else `UPMAN_CONFIG`), and checks them together.
    ///
    /// - Throws: ``ValidationFailure`` worded for the operator.
    static func resolve(flags: [String: String], environment: [String: String], configPath: String?) throws -> ServeSettings {
        var sources = SettingSources(flags: flags, environment: environment, file: nil)
        if let path = configPath ?? environment["UPMAN_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            sources.file = try SettingSources.readFile(path, known: declarations)
        }
        var settings = ServeSettings()
        for setting in declarations {
            guard let (value, origin) = try sources.value(of: setting) else { continue }
            try setting.apply(&settings, value)
            settings.given[setting.key] = (value, origin)
        }
        try settings.finish()
        return settings
    }

    /// Checks what depends on more than one setting: the S3 bucket, part sizes, and the needs of
    /// each job kind.
    private mutating func finish() throws {
        if storage == "s3" { s3 = try s3Settings.configuration() }
        if let minimumPartSize {
            server.planner.minimumPartSize = try Self.minimumPartSize(minimumPartSize, s3: s3 != nil)
        }
        if let partSize {
            guard partSize >= server.planner.minimumPartSize else {
                throw ValidationFailure("part_size must be at least \(server.planner.minimumPartSize) bytes (minimum_part_size), not \(partSize)")
            }
            server.planner.defaultPartSize = partSize
        }
        if let problem = JobKinds.problem(in: server) { throw ValidationFailure(problem) }
    }

    /// `minimum_part_size`: lowers the smallest part (every part but the last) below S3's 5 MiB, for
    /// the embedded disk store only (tests and benchmarks that want many small parts). S3 refuses
    /// such parts at completion, so with `storage = "s3"` it is an error, as is anything outside
    /// 1 byte...5 MiB (it can only lower the minimum).
    static func minimumPartSize(_ value: Int64, s3: Bool) throws -> Int64 {
        let limit = PartPlanner().minimumPartSize
        guard !s3 else {
            throw ValidationFailure("minimum_part_size applies to the embedded disk store only: S3 refuses parts under 5 MiB except the last (remove it, or use --storage disk)")
        }
        guard value >= 1, value <= limit else {
            throw ValidationFailure("minimum_part_size must be between 1 byte and \(limit) bytes (5 MiB), not \(value)")
        }
        return value
    }
}
