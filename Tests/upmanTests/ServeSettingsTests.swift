import Foundation
import Testing
import ObjectStorage
import UploadModel
@testable import upman

/// Flags beat the environment, which beats the config file; bad values are clear errors.
@Suite struct ServeSettingsTests {
    @Test func precedence() async throws {
        let folder = try TemporaryFolder()
        let file = folder.path("upman.toml")
        try """
            port = 7000
            host = "127.0.0.2"
            jobs = ["sha256"]
            session_ttl = "2h"
            part_size = "16MiB"
            storage_capacity = "2GiB"
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try ServeSettings.resolve(flags: [:], environment: [:], configPath: file)
        #expect(fromFile.server.port == 7000 && fromFile.server.host == "127.0.0.2")
        #expect(fromFile.server.jobs == ["sha256"] && fromFile.server.sessionTTL == 7200)
        #expect(fromFile.server.storageCapacity == 2 << 30)
        #expect(fromFile.server.planner.defaultPartSize == 16 << 20)
        let fromEnv = try ServeSettings.resolve(flags: [:], environment: ["UPMAN_PORT": "7001", "UPMAN_JOBS": "content-type,sha256"], configPath: file)
        #expect(fromEnv.server.port == 7001 && fromEnv.server.jobs == ["content-type", "sha256"])
        let fromFlag = try ServeSettings.resolve(flags: ["port": "7002"], environment: ["UPMAN_PORT": "7001"], configPath: file)
        #expect(fromFlag.server.port == 7002 && fromFlag.server.host == "127.0.0.2")
        let defaults = try ServeSettings.resolve(flags: [:], environment: [:], configPath: nil)
        #expect(defaults.server.port == 8080 && defaults.server.host == "127.0.0.1")
        #expect(defaults.server.resolvedDatabasePath.hasSuffix("upman-data/upman.db"))
    }

    @Test func badValuesAreClearErrors() {
        let cases: [[String: String]] = [
            ["port": "eighty"], ["port": "70000"], ["jobs": "sha256,virus"], ["jobs": "exec"],
            ["session_ttl": "soon"], ["public_url": "ftp://x"], ["log_level": "loud"],
            ["storage_capacity": "0"], ["storage_capacity": "lots"], ["durability": "sometimes"],
        ]
        for flags in cases {
            #expect(throws: ValidationFailure.self, "\(flags)") {
                _ = try ServeSettings.resolve(flags: flags, environment: [:], configPath: nil)
            }
        }
        #expect(throws: ValidationFailure.self) { _ = try ServeSettings.resolve(flags: [:], environment: [:], configPath: "/nonexistent.toml") }
    }

    @Test func durabilityIsDurableUnlessRelaxedIsAsked() throws {
        #expect(try ServeSettings.resolve(flags: [:], environment: [:], configPath: nil).server.durability == .durable)
        #expect(try ServeSettings.resolve(flags: ["durability": "relaxed"], environment: [:], configPath: nil).server.durability == .relaxed)
        #expect(try ServeSettings.resolve(flags: [:], environment: ["UPMAN_DURABILITY": "Relaxed"], configPath: nil).server.durability == .relaxed)
    }

    @Test func minimumPartSizeLowersThePlannersMinimumForTheDiskStore() throws {
        let defaults = try ServeSettings.resolve(flags: [:], environment: [:], configPath: nil)
        #expect(defaults.server.planner.minimumPartSize == 5 << 20)

        let folder = try TemporaryFolder()
        let file = folder.path("upman.toml")
        try "minimum_part_size = \"64KiB\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try ServeSettings.resolve(flags: [:], environment: [:], configPath: file).server.planner.minimumPartSize == 64 << 10)
        let fromEnv = try ServeSettings.resolve(flags: [:], environment: ["UPMAN_MINIMUM_PART_SIZE": "8KiB"], configPath: file)
        #expect(fromEnv.server.planner.minimumPartSize == 8 << 10)
        let fromFlag = try ServeSettings.resolve(
            flags: ["minimum_part_size": "4KiB"], environment: ["UPMAN_MINIMUM_PART_SIZE": "8KiB"], configPath: file)
        #expect(fromFlag.server.planner.minimumPartSize == 4096)
        #expect(try ServeSettings.resolve(flags: ["minimum_part_size": "1"], environment: [:], configPath: nil).server.planner.minimumPartSize == 1)
        #expect(try ServeSettings.resolve(flags: ["minimum_part_size": "5MiB"], environment: [:], configPath: nil).server.planner.minimumPartSize == 5 << 20)

        // The planner takes parts that small, and 10,000 of them, which is what the setting is for.
        let plan = try fromFlag.server.planner.plan(fileSize: 10_000 * 4096, partSize: 4096)
        #expect(plan.method == .multipart && plan.partSize == 4096 && plan.totalParts == 10_000)
        #expect(throws: UploadError.self) { _ = try defaults.server.planner.plan(fileSize: 10_000 * 4096, partSize: 4096) }

        // part_size may go down to the lowered minimum, and no further.
        let small = try ServeSettings.resolve(flags: ["minimum_part_size": "4KiB", "part_size": "16KiB"], environment: [:], configPath: nil)
        #expect(small.server.planner.defaultPartSize == 16 << 10)
        #expect(throws: ValidationFailure.self) {
            _ = try ServeSettings.resolve(flags: ["minimum_part_size": "4KiB", "part_size": "2KiB"], environment: [:], configPath: nil)
        }
    }

    @Test func minimumPartSizeOutOfRangeOrWithS3IsAClearError() throws {
        for value in ["0", "6MiB", "tiny"] {
            #expect(throws: ValidationFailure.self, "\(value)") {
                _ = try ServeSettings.resolve(flags: ["minimum_part_size": value], environment: [:], configPath: nil)
            }
        }
        let s3 = ["storage": "s3", "s3_bucket": "b", "minimum_part_size": "4KiB"]
        let keys = ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"]
        let error = #expect(throws: ValidationFailure.self) {
            _ = try ServeSettings.resolve(flags: s3, environment: keys, configPath: nil)
        }
        #expect(error?.description.contains("disk store only") == true)
        #expect(throws: ValidationFailure.self) {
            _ = try ServeSettings.resolve(flags: ["storage": "s3", "s3_bucket": "b"], environment: keys.merging(["UPMAN_MINIMUM_PART_SIZE": "4KiB"]) { $1 }, configPath: nil)
        }
    }

    @Test func sizesAndDurations() {
        #expect(SettingSources.parseSize("8MiB") == 8 << 20)
        #expect(SettingSources.parseSize("8M") == 8 << 20)
        #expect(SettingSources.parseSize("1.5G") == 3 << 29)
        #expect(SettingSources.parseSize("1234") == 1234)
        #expect(SettingSources.parseSize("lots") == nil)
        #expect(SettingSources.parseDuration("24h") == 86_400)
        #expect(SettingSources.parseDuration("250ms") == 0.25)
        #expect(SettingSources.parseDuration("90") == 90)
    }

    @Test func s3SettingsFromFlagsEnvironmentAndFile() throws {
        let folder = try TemporaryFolder()
        let file = folder.path("s3.toml")
        try """
            storage = "s3"
            s3_bucket = "from-file"
            s3_endpoint = "http://file.example:9000"
            s3_path_style = true
            s3_access_key_id = "file-key"
            s3_secret_access_key = "file-secret"
            webhook_token = "file-hook"
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try #require(try ServeSettings.resolve(flags: [:], environment: [:], configPath: file).s3)
        #expect(fromFile.bucket == "from-file" && fromFile.pathStyle && fromFile.region == "us-east-1")
        #expect(fromFile.endpoint.absoluteString == "http://file.example:9000" && fromFile.credentials.accessKeyId == "file-key")
        #expect(try ServeSettings.resolve(flags: [:], environment: [:], configPath: file).server.webhookToken == "file-hook")

        let aws = [
            "AWS_ACCESS_KEY_ID": "aws-key", "AWS_SECRET_ACCESS_KEY": "aws-secret", "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": "http://minio.local:9000", "UPMAN_WEBHOOK_TOKEN": "env-hook",
        ]
        let fromEnv = try ServeSettings.resolve(flags: [:], environment: aws, configPath: file)
        #expect(fromEnv.s3?.credentials.accessKeyId == "aws-key" && fromEnv.s3?.region == "eu-west-1")
        #expect(fromEnv.s3?.endpoint.host == "minio.local" && fromEnv.server.webhookToken == "env-hook")

        let flags = ["storage": "s3", "s3_bucket": "flag-bucket", "s3_endpoint": "http://127.0.0.1:9000", "s3_region": "us-west-2", "webhook_token": "flag-hook"]
        let fromFlags = try ServeSettings.resolve(flags: flags, environment: aws, configPath: nil)
        #expect(fromFlags.s3?.bucket == "flag-bucket" && fromFlags.s3?.region == "us-west-2" && fromFlags.s3?.pathStyle == false)
        #expect(fromFlags.s3?.endpoint.absoluteString == "http://127.0.0.1:9000" && fromFlags.server.webhookToken == "flag-hook")

        let awsDefault = try ServeSettings.resolve(
            flags: ["storage": "s3", "s3_bucket": "b"], environment: ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-central-1"],
            configPath: nil)
        #expect(awsDefault.s3?.endpoint.absoluteString == "https://s3.eu-central-1.amazonaws.com")
        #expect(try ServeSettings.resolve(flags: [:], environment: aws, configPath: nil).s3 == nil, "disk unless storage = s3")
    }

    @Test func s3SettingsThatCannotWorkAreClearErrors() {
        let keys = ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"]
        let cases: [([String: String], [String: String])] = [
            (["storage": "tape"], keys),
            (["storage": "s3"], keys),
            (["storage": "s3", "s3_bucket": "b"], [:]),
            (["storage": "s3", "s3_bucket": "b", "s3_endpoint": "ftp://x"], keys),
            (["storage": "s3", "s3_bucket": "b", "s3_path_style": "maybe"], keys),
        ]
        for (flags, environment) in cases {
            #expect(throws: ValidationFailure.self, "\(flags)") {
                _ = try ServeSettings.resolve(flags: flags, environment: environment, configPath: nil)
            }
        }
    }
}
