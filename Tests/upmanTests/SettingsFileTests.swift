import Foundation
import Testing
@testable import upman

/// The TOML config file behind `--config`, read with TOMLKit.
@Suite struct SettingsFileTests {
    func resolve(_ text: String, environment: [String: String] = [:]) throws -> ServeSettings {
        let folder = try TemporaryFolder()
        let file = folder.path("upman.toml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try ServeSettings.resolve(flags: [:], environment: environment, configPath: file)
    }

    @Test func multiLineArraysCommentsAndLiteralStrings() throws {
        let settings = try resolve("""
            # upman
            jobs = [
              "sha256",      # first
              'content-type',
            ]
            port = 9090
            s3_path_style = true
            exec_timeout = 90
            """)
        #expect(settings.server.jobs == ["sha256", "content-type"])
        #expect(settings.server.port == 9090 && settings.server.execTimeout == 90)
        #expect(settings.s3Settings.pathStyle)
    }

    @Test func unknownKeysTablesAndWrongTypesAreRefused() throws {
        let cases = [
            "prot = 8080": "unknown setting(s) prot",
            "[s3]\nbucket = \"b\"": "unknown setting(s) s3",
            "port = [1, 2]": "port in the config file must not be an array",
            "jobs = [1]": "jobs must list strings",
            "host = { name = \"x\" }": "host in the config file must not be a table",
            "port = \"eighty\"": "port must be a whole number",
            "config = \"other.toml\"": "unknown setting(s) config",
        ]
        for (text, message) in cases {
            let error = #expect(throws: ValidationFailure.self, "\(text)") { _ = try resolve(text) }
            #expect(error?.description.contains(message) == true, "\(text): \(error?.description ?? "")")
        }
    }

    @Test func syntaxErrorsNameTheLine() throws {
        for (text, line) in [("a = 1\nb = \n", 2), ("port = nope", 1), ("host = \"open", 1), ("port = 1\nport = 2", 2)] {
            let error = #expect(throws: ValidationFailure.self, "\(text)") { _ = try resolve(text) }
            #expect(error?.description.contains("upman.toml:\(line):") == true, "\(text): \(error?.description ?? "")")
        }
    }

    @Test func theConfigFileMayComeFromTheEnvironment() throws {
        let folder = try TemporaryFolder()
        let file = folder.path("env.toml")
        try "port = 7111\n".write(toFile: file, atomically: true, encoding: .utf8)
        let settings = try ServeSettings.resolve(flags: [:], environment: ["UPMAN_CONFIG": file], configPath: nil)
        #expect(settings.server.port == 7111)
    }
}
