import Foundation
import Testing
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
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try ServeSettings.resolve(flags: [:], environment: [:], configPath: file)
        #expect(fromFile.server.port == 7000 && fromFile.server.host == "127.0.0.2")
        #expect(fromFile.server.jobs == ["sha256"] && fromFile.server.sessionTTL == 7200)
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
        ]
        for flags in cases {
            #expect(throws: ValidationFailure.self, "\(flags)") {
                _ = try ServeSettings.resolve(flags: flags, environment: [:], configPath: nil)
            }
        }
        #expect(throws: ValidationFailure.self) { _ = try ServeSettings.resolve(flags: [:], environment: [:], configPath: "/nonexistent.toml") }
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
}
