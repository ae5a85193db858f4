import Foundation
import Testing
import UploadServer
@testable import upman

/// Each setting is declared once, and the flag, the environment variable, the TOML key, `--help`,
/// `--print-config` and the README's table all come from that declaration.
@Suite struct ServeSettingDeclarationTests {
    let declarations = ServeSettings.declarations

    @Test func namesFollowTheKey() {
        #expect(Set(declarations.map(\.key)).count == declarations.count, "keys are unique")
        for setting in declarations {
            #expect(setting.key == setting.key.lowercased() && !setting.key.contains("-"), "\(setting.key)")
            #expect(setting.flag == "--" + setting.key.replacingOccurrences(of: "_", with: "-"))
            #expect(setting.environmentName == "UPMAN_" + setting.key.uppercased())
        }
    }

    @Test func everySettingCanBeGivenByFlagEnvironmentAndFile() throws {
        let samples: [String: String] = [
            "data": "/tmp/d", "db": "/tmp/x.db", "host": "0.0.0.0", "port": "9000", "public_url": "https://u.example",
            "log_level": "debug", "jobs": "sha256", "exec_command": "/bin/true", "exec_timeout": "5s",
            "job_concurrency": "4", "job_max_attempts": "5", "job_backoff": "2s", "job_lease": "10s", "session_ttl": "2h", "url_expiry": "10m",
            "sweep_interval": "5s", "heartbeat_interval": "3s", "event_retention": "5000", "multipart_threshold": "16MiB",
            "part_size": "16MiB", "minimum_part_size": "1MiB", "durability": "relaxed", "storage_capacity": "1GiB",
            "reconcile_grace": "1m", "reconcile_batch": "7", "webhook_token": "hook", "storage": "disk", "cors_origin": "https://app.example.com", "tus_path": "/uploads/",
            "s3_endpoint": "http://127.0.0.1:9", "s3_bucket": "b", "s3_region": "eu-west-1", "s3_path_style": "true",
            "s3_access_key_id": "k", "s3_secret_access_key": "s", "s3_session_token": "t",
        ]
        let folder = try TemporaryFolder()
        for setting in declarations where setting.key != "config" {
            let sample = try #require(samples[setting.key], "a sample value for \(setting.key)")
            let byFlag = try ServeSettings.resolve(
                flags: try SettingArguments.parse([setting.flag + "=" + sample], settings: declarations), environment: [:], configPath: nil)
            let byEnvironment = try ServeSettings.resolve(flags: [:], environment: [setting.environmentName: sample], configPath: nil)
            let file = folder.path("\(setting.key).toml")
            try "\(setting.key) = \"\(sample)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
            let byFile = try ServeSettings.resolve(flags: [:], environment: [:], configPath: file)
            for (settings, origin) in [(byFlag, SettingSources.Origin.flag(setting.flag)), (byEnvironment, .environment(setting.environmentName)), (byFile, .file)] {
                #expect(settings.given[setting.key]?.origin == origin, "\(setting.key) from \(origin)")
                #expect(settings.given[setting.key]?.value == (try setting.type.parse(sample, key: setting.key, secret: false)))
            }
        }
    }

    /// A default written as a value (lower case, no spaces) must be what the server does without
    /// the setting: applying it changes nothing.
    @Test func declaredDefaultsAreTheServersDefaults() throws {
        let base = ServeSettings()
        for setting in declarations {
            guard let text = setting.defaultText, text == text.lowercased(), !text.contains(" ") else { continue }
            var settings = ServeSettings()
            try setting.apply(&settings, try setting.type.parse(text, key: setting.key, secret: false))
            #expect(describe(settings) == describe(base), "\(setting.key)'s declared default \(text) is not the default")
        }
    }

    func describe(_ settings: ServeSettings) -> String {
        var text = ""
        dump(settings.server, to: &text)
        dump(settings.logLevel, to: &text)
        dump(settings.storage, to: &text)
        dump(settings.s3Settings, to: &text)
        return text.replacingOccurrences(of: "file://" + FileManager.default.currentDirectoryPath + "/", with: "")
    }

    @Test func helpListsEverySetting() {
        let help = ServeSettings.helpText
        for setting in declarations {
            #expect(help.contains(setting.flag) && help.contains(setting.environmentName), "\(setting.key)")
        }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 78 }, "lines fit before ArgumentParser re-wraps them")
    }

    @Test func secretsAreNeverPrinted() throws {
        let flags = try SettingArguments.parse(["--webhook-token", "flag-secret-1", "--s3-session-token=flag-secret-2"], settings: declarations)
        let settings = try ServeSettings.resolve(flags: flags, environment: ["AWS_SECRET_ACCESS_KEY": "env-secret-3"], configPath: nil)
        let printed = settings.printed
        for secret in ["flag-secret-1", "flag-secret-2", "env-secret-3"] {
            #expect(!printed.contains(secret), "\(printed)")
        }
        #expect(printed.contains("webhook_token = \"<redacted>\"  # flag --webhook-token"))
        #expect(printed.contains("s3_secret_access_key = \"<redacted>\"  # environment AWS_SECRET_ACCESS_KEY"))
        // A bad secret is not echoed in the error either.
        let secret = ServeSetting("token", .integer(), secret: true, help: "") { _, _ in }
        let error = #expect(throws: ValidationFailure.self) { _ = try secret.type.parse("hunter2", key: "token", secret: true) }
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func printConfigIsTOMLThatReadsBack() throws {
        let flags = try SettingArguments.parse(["--port", "9001", "--jobs", "sha256,content-type", "--s3-path-style", "--exec-timeout", "45s"], settings: declarations)
        let printed = try ServeSettings.resolve(flags: flags, environment: [:], configPath: nil).printed
        let folder = try TemporaryFolder()
        let file = folder.path("printed.toml")
        try printed.write(toFile: file, atomically: true, encoding: .utf8)
        let again = try ServeSettings.resolve(flags: [:], environment: [:], configPath: file)
        #expect(again.server.port == 9001 && again.server.jobs == ["sha256", "content-type"])
        #expect(again.s3Settings.pathStyle && again.server.execTimeout == 45)
    }

    @Test func commandLineForms() throws {
        let flags = try SettingArguments.parse(["--port=1", "--host", "h", "--s3-path-style", "--exec-command", "--weird"], settings: declarations)
        #expect(flags == ["port": "1", "host": "h", "s3_path_style": "true", "exec_command": "--weird"])
        let repeated = try SettingArguments.parse(["--jobs", "sha256", "--jobs=content-type,exec"], settings: declarations)
        #expect(repeated == ["jobs": "sha256,content-type,exec"])
        let again = try SettingArguments.parse(["--port", "0", "--host", "h", "--port", "9000"], settings: declarations)
        #expect(again == ["port": "9000", "host": "h"], "the last value of a repeated setting counts")
        for bad in [["--nope", "1"], ["--port"], ["stray"]] {
            #expect(throws: ValidationFailure.self, "\(bad)") { _ = try SettingArguments.parse(bad, settings: declarations) }
        }
    }

    /// The README's tables are the declarations' and the job registry's; with
    /// UPMAN_UPDATE_SNAPSHOTS=1 the test writes them into the README instead.
    @Test func readmeTablesMatchTheDeclarations() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        var text = try String(contentsOf: readme, encoding: .utf8)
        let tables = [("settings", ServeSettings.markdownTable + "\n"), ("job-kinds", JobKinds.markdownTable + "\n")]
        var changed = false
        for (name, table) in tables {
            let begin = "<!-- \(name): generated from the code; UPMAN_UPDATE_SNAPSHOTS=1 swift test --filter readmeTables -->\n"
            let end = "<!-- end \(name) -->"
            guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
                Issue.record("README lacks the \(name) table's markers: \(begin)")
                continue
            }
            let current = String(text[start.upperBound..<stop.lowerBound])
            if current != table {
                if ProcessInfo.processInfo.environment["UPMAN_UPDATE_SNAPSHOTS"] == "1" {
                    text.replaceSubrange(start.upperBound..<stop.lowerBound, with: table)
                    changed = true
                } else {
                    Issue.record("README's \(name) table differs from the code; expected:\n\(table)")
                }
            }
        }
        if changed { try text.write(to: readme, atomically: true, encoding: .utf8) }
    }
}
