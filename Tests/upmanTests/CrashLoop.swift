import Crypto
import Foundation
import GRDB
import Testing
import UploadModel
import UploadStore

/// The work of one crash loop: the killer, the upload lanes and the checks.
struct CrashLoop: Sendable {
    let server: RestartableServer
    let sources: SourceFiles
    let tally: CrashLoopTally
    let settings: CrashLoopSettings
    let deadline: ContinuousClock.Instant

    var databasePath: String { server.dataPath + "/upman.db" }

    /// SIGKILLs the server after each delay (counted from its last start), starts it again at once,
    /// and checks the database the killed process left behind.
    func kill(after delays: [Int]) async throws {
        defer { tally.killerFinished() }
        for (index, delay) in delays.enumerated() {
            guard ContinuousClock.now < deadline else {
                Issue.record("time limit reached after \(index) kills")
                return
            }
            try await Task.sleep(for: .milliseconds(delay))
            try await server.kill()
            tally.killed()
            try await server.start()
            try audit("after kill \(index + 1)")
        }
    }

    /// Uploads the source folder as one group after another until the killer is done.
    func upload(lane: Int) async throws {
        var rng = SeededGenerator(seed: settings.seed &+ UInt64(lane) &* 0x9E37_79B9)
        var batch = 0
        repeat {
            batch += 1
            let groupId = try await uploadUntilCompleted(groupName: "lane\(lane)-batch\(batch)", rng: &rng)
            try verify(groupId: groupId)
            tally.batchDone(groupId)
        } while tally.stillKilling
    }

    /// Runs `upman put`, then `upman put --resume` as long as it gives up or is killed, until it
    /// exits 0. Some runs (`settings.uploaderKillPercent`) are SIGKILLed at a random moment:
    /// the uploader crashes too, and its resume must still send only what the server lacks.
    private func uploadUntilCompleted(groupName: String, rng: inout SeededGenerator) async throws -> String {
        var groupId: String?
        while true {
            var arguments = [
                "put", sources.folder, "--server", server.url, "--data", server.dataPath, "--json",
                "--part-size", "5MiB", "--concurrency", "4", "--group", groupName,
            ]
            if let groupId { arguments += ["--resume", groupId] }
            let killAfter: Duration? = Int.random(in: 0..<100, using: &rng) < settings.uploaderKillPercent
                ? .milliseconds(Int.random(in: 30...1500, using: &rng)) : nil
            let (run, ending) = try await UpmanBinary.run(arguments, within: .seconds(120), killAfter: killAfter)
            let lines = run.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            tally.partRetried(lines.filter { $0["event"] as? String == "part" && $0["state"] as? String == "retrying" }.count)
            if groupId == nil {
                groupId = lines.first { $0["event"] as? String == "group" }?["groupId"] as? String
            }
            switch ending {
            case .timedOut:
                throw CrashLoopFailure("upman put \(arguments.suffix(2).joined(separator: " ")) hung for 120 s; stderr: \(run.stderr)")
            case .killed:
                tally.uploaderKilled()
                continue
            case .exited:
                break
            }
            if run.status == 0, let groupId {
                tally.putRun(failedWith: nil)
                return groupId
            }
            tally.putRun(failedWith: Self.reason(run.stderr))
            guard ContinuousClock.now < deadline else {
                throw CrashLoopFailure("time limit reached; \(groupName) still incomplete; last run: \(run.stderr)")
            }
            // The server is probably down this instant; give it a moment to come back.
            try await Task.sleep(for: .milliseconds(150))
        }
    }

    /// The first line of a run's errors, without the file name and numbers, to group alike failures.
    static func reason(_ stderr: String) -> String {
        let line = stderr.split(separator: "\n").first.map(String.init) ?? "(no message)"
        let message = line.firstRange(of: ": ").map { String(line[$0.upperBound...]) } ?? line
        return String(message.map { $0.isNumber ? "#" : $0 }.prefix(120))
    }

    /// Checks a finished group: one COMPLETED session per file with every byte counted once, the
    /// SHA-256 job's output and the stored object equal to the source's digest. The object's bytes
    /// are then removed (the rows stay) so a long soak does not fill the disk.
    private func verify(groupId: String) throws {
        let reader = try UploadReader.open(path: databasePath)
        let group = try #require(try reader.snapshot { try $0.group(groupId) })
        let total = Int64(sources.files.reduce(0) { $0 + $1.size })
        #expect(group.status == .completed, "group \(groupId) is \(group.status.rawValue)")
        #expect(group.totalFiles == sources.files.count && group.completedFiles == sources.files.count,
                "group \(groupId): \(group.completedFiles)/\(group.totalFiles) files completed, \(sources.files.count) sent")
        #expect(group.bytesUploaded == total && group.totalBytes == total,
                "group \(groupId): \(group.bytesUploaded)/\(group.totalBytes) bytes uploaded, \(total) sent")
        let sessions = try reader.snapshot { try $0.sessions(SessionQuery(groupId: groupId)) }
        for file in sources.files {
            let matching = sessions.filter { $0.fileName == file.uploadName }
            #expect(matching.count == 1, "\(file.uploadName): \(matching.count) sessions in \(groupId)")
            guard let session = matching.first else { continue }
            #expect(session.status == .completed, "\(session.id) (\(file.uploadName)) is \(session.status.rawValue)")
            #expect(session.bytesUploaded == Int64(file.size) && session.completedParts == session.totalParts,
                    "\(session.id): \(session.bytesUploaded) of \(file.size) bytes, \(session.completedParts)/\(session.totalParts) parts")
            let parts = try reader.snapshot { try $0.parts(sessionId: session.id) }
            #expect(parts.count == session.totalParts && parts.allSatisfy { $0.status == .uploaded },
                    "\(session.id): parts \(parts.map { "\($0.partNumber):\($0.status.rawValue)" })")
            let job = try reader.snapshot { try $0.jobs(sessionId: session.id) }.first { $0.kind == "sha256" }
            #expect(job?.output == file.sha256, "\(session.id): sha256 job says \(job?.output ?? "nothing")")
            let object = server.dataPath + "/storage/objects/" + session.objectKey
            #expect(try Self.sha256(ofFile: object) == file.sha256, "\(session.id): the stored object differs from \(file.uploadName)")
            try? FileManager.default.removeItem(atPath: object)
        }
    }

    /// The hex SHA-256 of a file, read in 1 MiB chunks.
    static func sha256(ofFile path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// `PRAGMA integrity_check` and upman's invariants (counters against rows, part coverage,
    /// event ids without gaps) on the live database, as one snapshot.
    private func audit(_ moment: String) throws {
        let reader = try UploadReader.open(path: databasePath)
        let integrity = try reader.snapshot { try $0.integrityCheck() }
        #expect(integrity == "ok", "\(moment): integrity_check says \(integrity)")
        let problems = try reader.snapshot { try $0.audit() }
        #expect(problems.isEmpty, "\(moment): \(problems.joined(separator: "\n"))")
    }

    /// After the server stopped: `upman check` passes, and every session of every group is
    /// COMPLETED (none left behind by a crash, none duplicated).
    func checkFinalState() async throws {
        let check = try await UpmanBinary.run(["check", "--data", server.dataPath, "--json"])
        let result = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(check.status == 0 && result["ok"] as? Bool == true && result["integrity"] as? String == "ok",
                "upman check: \(check.stdout) \(check.stderr)")
        let queue = try DatabaseQueue(path: databasePath, configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        let (statuses, groups) = try queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, groupId, fileName, status FROM upload_sessions WHERE status != 'COMPLETED'"),
             try Row.fetchAll(db, sql: "SELECT id, name, status, totalFiles FROM upload_groups"))
        }
        #expect(statuses.isEmpty, "sessions not COMPLETED: \(statuses)")
        let checked = tally.groupIds
        #expect(Set(groups.compactMap { $0["id"] as String? }).isSuperset(of: checked))
        let strays = groups.filter { !checked.contains($0["id"] as String) }
        // A group whose createGroup committed just before a kill, and whose answer was lost, stays
        // behind empty: the uploader never learnt its id. It holds no file, so nothing is lost.
        for stray in strays {
            #expect((stray["totalFiles"] as Int) == 0, "group \(stray["id"] as String) (\(stray["name"] as String)) holds files but no lane finished it")
        }
        if !strays.isEmpty { print("crash loop: \(strays.count) empty group(s) whose creation answer was lost") }
        // Every session completed, so every upload file was moved into objects/: one left behind
        // is space a crash leaked.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: server.dataPath + "/storage/uploads")) ?? []
        let owners = try await queue.read { db in
            try leftovers.sorted().map { name in
                let id = String(name.prefix { $0 != "." })
                let status = try String.fetchOne(db, sql: "SELECT status FROM upload_sessions WHERE id = ?", arguments: [id])
                return "\(name) (session \(status ?? "never recorded"))"
            }
        }
        #expect(leftovers.isEmpty, "upload files left behind: \(owners.joined(separator: ", "))")
    }
}
