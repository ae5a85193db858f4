import Crypto
import Foundation
import GRDB
import TestSupport
import Testing
import UploadModel

/// The uploader page of `upman serve` in Debian's headless Chromium, driven by Selenium: uploads
/// with their bytes intact, resume after a reload sending only missing parts, an operator's cancel
/// and job retry on the page, and refused links. `.ci/run` installs chromium, chromium-driver and selenium.
@Suite(.serialized) struct UploaderPageTests {
    /// Whether chromedriver and Python's selenium are here.
    static let browserInstalled: Bool = {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
            && (try? runTool(["python3", "-c", "import selenium"]).code) == 0
    }()

    /// Where screenshots are kept: `.build/test-artifacts/`.
    static let artifacts: URL = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    /// A served data folder, the server's URL and an upload link for alice.
    struct Bed {
        let folder: TemporaryFolder
        let process: Process
        let url: String
        var database: String { folder.path("data/upman.db") }
        var adminToken: String { (try? String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

        static func start(_ extra: [String] = []) async throws -> Bed {
            let folder = try TemporaryFolder()
            let (process, url) = try await ServeProcess.start(folder, extra: ["--part-size", "5MiB"] + extra)
            return Bed(folder: folder, process: process, url: url)
        }

        func stop() {
            process.terminate()
            _ = process.waitForExit()
        }

        func link(_ extra: [String] = []) async throws -> String {
            let run = try await UpmanBinary.run(
                ["token", "create", "--data", folder.path("data"), "--user", "alice", "--upload-link", "--server", url] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func file(_ name: String, bytes: Int) throws -> (path: String, sha256: String) {
            var generator = SeededGenerator(seed: UInt64(bytes) &+ 7)
            let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let path = folder.path(name)
            try data.write(to: URL(fileURLWithPath: path))
            return (path, Hex.lowercase(SHA256.hash(data: data)))
        }

        func read<T>(_ body: (Database) throws -> T) throws -> T {
            var configuration = Configuration()
            configuration.readonly = true
            return try DatabaseQueue(path: database, configuration: configuration).read(body)
        }

        /// Sends a controller request as the admin (an operator); expects 200.
        func `operator`(_ request: [String: String]) async throws {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(adminToken)",
                        "-d", body, url + "/api/v1/controller"]
            let answer = try await offPool { try runTool(curl) }
            #expect(answer.output == "200", "operator \(body): \(answer.output)")
        }

        /// Runs the Selenium script for a scenario that stops for an operator: once the script says
        /// it is ready, `act` runs, then the script goes on; answers its JSON result.
        func browse(_ scenario: String, page: String, files: [String], act: () async throws -> Void) async throws -> [String: Any] {
            let shot = UploaderPageTests.artifacts.appendingPathComponent("unused.png").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", BrowserScript.source, scenario, page, shot] + files
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try LaunchThread.run(process)
            let reader = output.fileHandleForReading
            let ready = try await offPool { () -> String in
                var text = ""
                while !text.contains("\n") {
                    let chunk = PipeRead.available(reader)
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                return text
            }
            #expect(ready.contains("ready"), "\(ready)")
            try await act()
            input.fileHandleForWriting.write(Data("go\n".utf8))
            let rest = try await offPool { String(decoding: PipeRead.toEnd(reader), as: UTF8.self) }
            _ = process.waitForExit()
            let line = rest.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? "{}"
            let result = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
            #expect(!result.isEmpty, "browser script: \(ready)\(rest)")
            return result
        }

        /// Runs the Selenium script; answers its JSON result.
        func browse(_ scenario: String, page: String, files: [String], screenshot: String = "unused.png") async throws -> [String: Any] {
            let shot = UploaderPageTests.artifacts.appendingPathComponent(screenshot).path
            let run = try await offPool { try runTool(["python3", "-c", BrowserScript.source, scenario, page, shot] + files) }
            let line = run.output.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? "{}"
            let result = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
            #expect(run.code == 0 && !result.isEmpty, "browser script: \(run.output)")
            return result
        }
    }

    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func threeFilesGoUpWithTheirBytesAndTheirBarsNeverGoBack() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let files = [try bed.file("empty.bin", bytes: 0), try bed.file("one.bin", bytes: 1 << 20), try bed.file("forty.bin", bytes: 40 << 20)]
        let result = try await bed.browse("upload", page: try await bed.link(), files: files.map(\.path), screenshot: "uploader-mid-upload.png")
        #expect(result["completed"] as? Bool == true, "\(result)")
        #expect((result["backwards"] as? [Any])?.isEmpty == true, "progress went backwards: \(result["backwards"] ?? "")")
        #expect((result["over"] as? [Any])?.isEmpty == true, "progress past 100%: \(result["over"] ?? "")")
        let stored = try bed.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.fileName, s.status, s.method, j.output FROM upload_sessions s
                JOIN processing_jobs j ON j.sessionId = s.id AND j.kind = 'sha256'
                """)
        }
        for file in files {
            let name = URL(fileURLWithPath: file.path).lastPathComponent
            let row = stored.first { $0["fileName"] == name }
            #expect(row?["status"] == "COMPLETED" && row?["output"] == file.sha256, "\(name): \(String(describing: row))")
        }
        #expect(stored.first { $0["fileName"] == "forty.bin" }?["method"] == "multipart")
        #expect(FileManager.default.fileExists(atPath: UploaderPageTests.artifacts.appendingPathComponent("uploader-mid-upload.png").path))
    }

    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func aReloadResumesWithOnlyTheMissingParts() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let file = try bed.file("forty.bin", bytes: 40 << 20)
        let result = try await bed.browse("reload", page: try await bed.link(), files: [file.path], screenshot: "uploader-resumed.png")
        #expect(result["offered"] as? Bool == true, "the page offers to resume: \(result)")
        #expect(result["completed"] as? Bool == true, "\(result)")
        let (sessions, uploaded, output) = try bed.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM upload_sessions") ?? 0,
             try String.fetchAll(db, sql: "SELECT data FROM events WHERE kind = 'part'"),
             try String.fetchOne(db, sql: "SELECT output FROM processing_jobs WHERE kind = 'sha256'"))
        }
        #expect(sessions == 1, "the reload continued the same session")
        // Each part became UPLOADED once: what the server held before the reload was not sent again.
        var times: [Int: Int] = [:]
        for data in uploaded {
            guard let part = try? UploadJSON.decoder().decode(FilePart.self, from: Data(data.utf8)), part.status == .uploaded else { continue }
            times[part.partNumber, default: 0] += 1
        }
        #expect(times.count == 8 && times.values.allSatisfy { $0 == 1 }, "UPLOADED per part: \(times)")
        #expect(output == file.sha256)
        let note = result["resumed_note"] as? String ?? ""
        #expect(note.contains("already on the server"), "\(note)")
    }

    /// A resume with a file replaced by another of the same name, size and modification time: the
    /// parts the server holds do not match its bytes (CRC-32C), so it is sent again whole as a new
    /// upload, and what is stored is the new file, not a splice of both.
    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func aResumeWithAnotherFileOfTheSameNameSizeAndTimeSendsItWhole() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let file = try bed.file("swapped.bin", bytes: 40 << 20)
        let result = try await bed.browse("swap", page: try await bed.link(), files: [file.path])
        #expect(result["completed"] as? Bool == true, "\(result)")
        let replaced = try Data(contentsOf: URL(fileURLWithPath: file.path))
        let expected = Hex.lowercase(SHA256.hash(data: replaced))
        #expect(expected != file.sha256)
        let completed = try bed.read { db in
            try String.fetchAll(db, sql: """
                SELECT j.output FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
                WHERE j.kind = 'sha256' AND s.status = 'COMPLETED'
                """)
        }
        #expect(completed == [expected], "stored: \(completed); the replacing file: \(expected); the first: \(file.sha256)")
        let note = result["resumed_note"] as? String ?? ""
        #expect(note.contains("of another file"), "\(note)")
    }

    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func anOperatorsCancelShowsOnThePage() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let file = try bed.file("slow.bin", bytes: 30 << 20)
        let result = try await bed.browse("cancel", page: try await bed.link(), files: [file.path]) {
            let groupId = try bed.read { try String.fetchOne($0, sql: "SELECT groupId FROM upload_sessions") }
            try await bed.operator(["action": "cancel", "groupId": groupId ?? "", "reason": "disk quota review"])
        }
        #expect(result["cancelled"] as? Bool == true, "the page shows CANCELLED: \(result)")
        // Who cancelled and why, as the server recorded it; and no speed or time left once nothing moves.
        let rows = result["rows"] as? [[String: Any]] ?? []
        #expect(rows.first?["error"] as? String == "cancelledByOperator: disk quota review", "\(rows)")
        let meta = result["group_meta"] as? String ?? ""
        #expect(!meta.contains("/s") && !meta.contains("left"), "the group still shows a speed: \(meta)")
    }

    /// A processing job that failed (an exec command waiting for an approval file) is retried by an
    /// operator through the controller: the page shows it FAILED, then SUCCEEDED, from the feed.
    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func anOperatorsJobRetryShowsOnThePage() async throws {
        let folder = try TemporaryFolder()
        let approval = folder.path("approved")
        let script = folder.path("approve.sh")
        try "#!/bin/sh\n[ -f '\(approval)' ] || { echo 'waiting for approval' >&2; exit 3; }\necho approved\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let bed = try await Bed.start(["--jobs", "sha256,exec", "--exec-command", script, "--job-max-attempts", "1"])
        defer { bed.stop() }
        let file = try bed.file("report.bin", bytes: 100_000)
        let result = try await bed.browse("jobretry", page: try await bed.link(), files: [file.path]) {
            try Data().write(to: URL(fileURLWithPath: approval))
            let jobId = try bed.read { try String.fetchOne($0, sql: "SELECT id FROM processing_jobs WHERE kind = 'exec'") }
            try await bed.operator(["action": "retry", "jobId": jobId ?? ""])
        }
        #expect(result["failed_first"] as? Bool == true, "the page showed the failed job first: \(result)")
        #expect(result["retried"] as? Bool == true, "the page shows the retried job: \(result)")
        let jobs = (result["rows"] as? [[String: Any]])?.first?["jobs"] as? String
        #expect(jobs?.contains("exec: SUCCEEDED (approved") == true, "\(result)")
    }

    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func anExpiredLinkIsRefusedOnThePage() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let file = try bed.file("late.bin", bytes: 1024)
        let page = try await bed.link(["--expires", "1s"])
        try await Task.sleep(for: .seconds(1.5))
        let result = try await bed.browse("refused", page: page, files: [file.path])
        // Said once, when the page starts: the token form comes back, and picked files wait for a token.
        let refused = result["refused_note"] as? String ?? ""
        #expect(result["form_shown"] as? Bool == true, "\(result)")
        #expect(refused.contains("refused") && refused.contains("expired"), "\(result)")
        #expect((result["announce"] as? String)?.hasPrefix("Enter an upload token first") == true, "\(result)")
        #expect((result["rows"] as? [Any])?.isEmpty == true, "\(result)")
        let sessions = try bed.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM upload_sessions") ?? 0 }
        #expect(sessions == 0)
    }

    /// The page opened without a link: picking files sends nothing and asks for a token there;
    /// with a link bound to a group, the page names the group before anything is sent.
    @Test(.enabled(if: UploaderPageTests.browserInstalled, "chromium-driver or selenium is not installed"))
    func withoutATokenThePageAsksForOneAndALinkNamesItsGroup() async throws {
        let bed = try await Bed.start()
        defer { bed.stop() }
        let file = try bed.file("early.bin", bytes: 1024)
        let link = try await bed.link(["--group", "holiday photos"])
        let result = try await bed.browse("notoken", page: link, files: [file.path])
        #expect((result["announce"] as? String)?.hasPrefix("Enter an upload token first") == true, "\(result)")
        #expect(result["focused"] as? String == "token", "\(result)")
        #expect(result["note"] as? String == "Uploads go into the group “holiday photos”.", "\(result)")
        let sessions = try bed.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM upload_sessions") ?? 0 }
        #expect(sessions == 0)
    }
}
