#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
import UploadStore

/// upman past one machine, end to end with the real binary: several `upman serve` instances on
/// one PostgreSQL database and one SeaweedFS bucket, nginx in front, `upman put` uploading
/// through it. Each test starts its own cluster (a fresh database, a fresh bucket) and stops it.
@Suite(.serialized, .enabled(if: Cluster.unavailableReason == nil, "needs PostgreSQL, nginx and SeaweedFS (see Tests/Support)"))
struct ClusterTests {
    // MARK: Uploads

    /// An empty file, a small one and a multipart one (8 parts of 5 MiB) sent through nginx to
    /// three instances arrive whole: the bucket holds exactly the sources' bytes, the sha256 job
    /// (run by whichever instance claimed it) agrees, and `upman check` finds nothing wrong.
    @Test(.timeLimit(.minutes(3))) func uploadsThroughTheBalancerArriveWhole() async throws {
        try await Cluster.run(instances: 3) { cluster in
            let sources = [("empty.bin", 0), ("small.bin", 3000), ("big.bin", 40 << 20)]
            var digests: [String: String] = [:]
            for (index, (name, size)) in sources.enumerated() {
                digests["files/" + name] = try await RandomFile.write(cluster.path("files/" + name), size: size, seed: UInt64(100 + index))
            }
            let put = try await cluster.upman([
                "put", cluster.path("files"), "--server", cluster.balancer.url, "--token", try cluster.adminToken(), "--json",
                "--part-size", "5MiB", "--concurrency", "4",
            ])
            try #require(put.status == 0, "put failed (\(put.status)): \(put.errors)\n\(cluster.logs())")
            let summary = try #require(Self.summary(put.output))
            #expect(summary["completed"] as? Int == 3, "\(put.output)")
            let groupId = try #require(summary["groupId"] as? String)

            let sessions = try await Self.settledSessions(cluster, groupId: groupId, count: 3)
            #expect(sessions.allSatisfy { $0.status == "COMPLETED" }, "\(sessions)")
            for session in sessions {
                let expected = try #require(digests[session.fileName], "unexpected file \(session.fileName)")
                #expect(try await cluster.seaweed.sha256(key: session.objectKey) == expected, "\(session.fileName) in the bucket")
            }
            let big = try #require(sessions.first { $0.fileName == "files/big.bin" })
            #expect(big.method == "multipart" && big.totalParts == 8, "\(big)")
            let jobDigests = try await cluster.rows("""
                SELECT s.fileName, j.output FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
                WHERE j.kind = 'sha256' AND j.status = 'SUCCEEDED' ORDER BY s.fileName
                """)
            #expect(jobDigests.map { $0[0] } == ["files/big.bin", "files/empty.bin", "files/small.bin"])
            for row in jobDigests { #expect(row[1] == digests[row[0]], "sha256 job of \(row[0])") }
            try await Self.expectCheckPasses(cluster)
        }
    }

    /// An instance SIGKILLed in the middle of a multipart upload: put is held still after its
    /// third part, one of the three instances is killed, and put goes on through the others
    /// (nginx sends it elsewhere, put retries what the dead one dropped). Every part arrives once,
    /// the object is the source, and the database passes its audit.
    @Test(.timeLimit(.minutes(3))) func anInstanceKilledMidUploadLosesNothing() async throws {
        try await Cluster.run(instances: 3) { cluster in
            let size = 100 << 20
            let digest = try await RandomFile.write(cluster.path("big.bin"), size: size, seed: 7)
            let put = try PutProcess([
                "put", cluster.path("big.bin"), "--server", cluster.balancer.url, "--token", try cluster.adminToken(), "--json",
                "--part-size", "5MiB", "--concurrency", "2", "--patience", "120s",
            ])
            defer { put.kill() }
            // Held still once three parts are recorded, so no machine is quick enough to finish first.
            var uploaded = 0
            let held = try await Patience.wait(interval: .milliseconds(10), progress: { uploaded }) {
                uploaded = Int(try await cluster.sql("SELECT count(*) FROM file_parts WHERE status = 'UPLOADED'")) ?? 0
                return uploaded >= 3
            }
            put.signal(SIGSTOP)
            try #require(held, "put never got three parts in\n\(cluster.logs())")
            let before = Int(try await cluster.sql("SELECT count(*) FROM file_parts WHERE status = 'UPLOADED'")) ?? 0
            #expect(before < 20, "put finished before it could be held: the test proved nothing")
            let victim = cluster.instances[1]
            await victim.crash()
            put.signal(SIGCONT)

            let end = try await put.finish()
            try #require(end.status == 0, "put failed (\(end.status)): \(end.stderr)\n\(cluster.logs())")
            let summary = try #require(Self.summary(end.stdout))
            #expect(summary["completed"] as? Int == 1)
            let groupId = try #require(summary["groupId"] as? String)
            let session = try #require(try await Self.settledSessions(cluster, groupId: groupId, count: 1).first)
            #expect(session.status == "COMPLETED")
            #expect(session.totalParts == 20)
            let parts = try await cluster.rows("SELECT partNumber, status FROM file_parts WHERE sessionId = '\(session.id)' ORDER BY partNumber")
            #expect(parts.map { Int($0[0]) ?? 0 } == Array(1...20))
            #expect(parts.allSatisfy { $0[1] == "UPLOADED" }, "\(parts)")
            #expect(try await cluster.seaweed.sha256(key: session.objectKey) == digest)
            #expect(try await cluster.sql("SELECT output FROM processing_jobs WHERE sessionId = '\(session.id)' AND kind = 'sha256'") == digest)
            #expect(!victim.child.isRunning)
            try await Self.expectCheckPasses(cluster)
        }
    }

    // MARK: Events

    /// A subscriber on instance b sees every event of uploads sent straight to instance a (and of
    /// the jobs any instance ran), once each, in id order, ids contiguous, exactly the events
    /// table; a subscriber on c that gives a Last-Event-ID from the middle gets exactly the rest.
    @Test(.timeLimit(.minutes(3))) func everyInstanceServesTheOneOrderedFeed() async throws {
        try await Cluster.run(instances: 3) { cluster in
            let (a, b, c) = (cluster.instances[0], cluster.instances[1], cluster.instances[2])
            let token = try cluster.adminToken()
            let baseline = Int64(try await cluster.sql("SELECT coalesce(max(id), 0) FROM events")) ?? -1
            let live = FeedSubscriber(url: b.url, token: token)
            defer { live.cancel() }
            try #require(await live.waitUntilConnected(), "no feed on b: \(live.ended ?? "")")

            for (index, size) in [0, 1000, 70_000, 12 << 20].enumerated() {
                try await RandomFile.write(cluster.path("files/f\(index).bin"), size: size, seed: UInt64(30 + index))
            }
            let put = try await cluster.upman([
                "put", cluster.path("files"), "--server", a.url, "--token", token, "--json", "--part-size", "5MiB",
            ])
            try #require(put.status == 0, "put failed (\(put.status)): \(put.errors)\n\(cluster.logs())")
            let groupId = try #require(Self.summary(put.output)?["groupId"] as? String)
            _ = try await Self.settledSessions(cluster, groupId: groupId, count: 4)

            // Until the table stops growing: whatever the log holds, the subscriber must have.
            var table: [Int64] = []
            while true {
                table = try await cluster.sql("SELECT id FROM events WHERE id > \(baseline) ORDER BY id")
                    .split(separator: "\n").compactMap { Int64($0) }
                let newest = try #require(table.last, "no events were written")
                try #require(await live.waitFor(id: newest), "b's feed stopped at \(live.ids.last ?? 0) of \(newest): \(live.ended ?? "")")
                if try await cluster.sql("SELECT max(id) FROM events") == String(newest) { break }
            }
            #expect(table.count > 10, "an upload of four files writes more events than \(table.count)")
            #expect(table == Array((baseline + 1)...(baseline + Int64(table.count))), "the table's ids have gaps")
            #expect(live.ids == table, "b's feed is not the table: \(Self.difference(live.ids, table))")
            #expect(!live.kinds.contains("reset"))

            let middle = table[table.count / 2]
            let replay = FeedSubscriber(url: c.url, token: token, lastEventId: middle)
            defer { replay.cancel() }
            try #require(await replay.waitFor(id: table.last!), "c's replay stopped at \(replay.ids.last ?? 0): \(replay.ended ?? "")")
            #expect(replay.ids == table.filter { $0 > middle }, "c's replay is not the rest: \(Self.difference(replay.ids, table.filter { $0 > middle }))")
            #expect(!replay.kinds.contains("reset"))
        }
    }

    // MARK: Jobs

    /// Twelve files through nginx to three instances whose runners all poll the one jobs table:
    /// each job is claimed by exactly one of them, so each runs once (attempts 1), and the exec
    /// command's marker file has exactly one line per session.
    @Test(.timeLimit(.minutes(3))) func eachJobRunsOnceAcrossInstances() async throws {
        try await Cluster.run(instances: 3, setup: { folder in
            let script = try Self.writeScript(in: folder, "echo \"$UPMAN_SESSION_ID $PPID\" >> \(folder.path)/runs.txt")
            return ["--jobs", "sha256,exec", "--exec-command", script, "--job-concurrency", "2"]
        }) { cluster in
            for index in 0..<12 {
                try await RandomFile.write(cluster.path("files/f\(index).bin"), size: 500 + index * 7919, seed: UInt64(50 + index))
            }
            let put = try await cluster.upman([
                "put", cluster.path("files"), "--server", cluster.balancer.url, "--token", try cluster.adminToken(), "--json",
            ])
            try #require(put.status == 0, "put failed (\(put.status)): \(put.errors)\n\(cluster.logs())")
            let groupId = try #require(Self.summary(put.output)?["groupId"] as? String)
            let sessions = try await Self.settledSessions(cluster, groupId: groupId, count: 12)
            #expect(sessions.allSatisfy { $0.status == "COMPLETED" }, "\(sessions)")

            let jobs = try await cluster.rows("SELECT sessionId, kind, status, attempts FROM processing_jobs ORDER BY sessionId, position")
            #expect(jobs.count == 24)
            #expect(jobs.allSatisfy { $0[2] == "SUCCEEDED" && $0[3] == "1" }, "\(jobs.filter { $0[2] != "SUCCEEDED" || $0[3] != "1" })")
            let runs = try String(contentsOfFile: cluster.path("runs.txt"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
            #expect(runs.count == 12, "\(runs)")
            #expect(runs.map { String($0[0]) }.sorted() == sessions.map(\.id).sorted())
            let runners = Set(runs.compactMap { $0.count > 1 ? Int32($0[1]) : nil })
            #expect(runners.isSubset(of: Set(cluster.instances.map(\.pid))), "exec ran under \(runners), not an instance")
            try await Self.expectCheckPasses(cluster)
        }
    }

    /// The instance running a job dies (SIGKILL with what it started, as when its machine goes):
    /// once its lease (`job_lease` 3 s) runs out another instance queues the job again and runs it,
    /// once (attempts 2), and the session completes. The leader dies too: another instance holds
    /// the leader's lock after it.
    @Test(.timeLimit(.minutes(3))) func aDeadInstancesJobAndLeadershipAreTakenOver() async throws {
        try await Cluster.run(instances: 3, setup: { folder in
            let marker = folder.path + "/runs.txt"
            let script = try Self.writeScript(in: folder, """
                echo "start $UPMAN_SESSION_ID $PPID" >> \(marker)
                sleep 4
                echo "end $UPMAN_SESSION_ID $PPID" >> \(marker)
                """)
            return ["--jobs", "exec", "--exec-command", script, "--job-lease", "3s", "--sweep-interval", "0.5s"]
        }) { cluster in
            let first = try await Self.leader(of: cluster)
            #expect(first === cluster.instances[0], "the first instance started leads")
            let holder = try await Self.jobIsTakenOverFromADeadInstance(cluster)

            // The leader's lock goes with its connection: after the leader dies, another takes it.
            let leader = try await Self.leader(of: cluster, except: [holder])
            await leader.crash()
            let next = try await Self.leader(of: cluster, except: [holder, leader])
            #expect(next.child.isRunning)
            try await Self.expectCheckPasses(cluster)
        }
    }

    /// Uploads one file whose exec job sleeps, crashes the instance that runs it, and checks that
    /// another instance runs it once more after the lease; returns the crashed instance.
    private static func jobIsTakenOverFromADeadInstance(_ cluster: Cluster) async throws -> ClusterInstance {
        try await RandomFile.write(cluster.path("one.bin"), size: 4096, seed: 9)
        // put waits for the jobs: it runs beside the test, which acts while the job runs.
        let put = try PutProcess([
            "put", cluster.path("one.bin"), "--server", cluster.balancer.url, "--token", try cluster.adminToken(), "--json",
            "--patience", "120s",
        ])
        defer { put.kill() }
        let runs = cluster.path("runs.txt")
        let started = await Patience.wait(progress: { markerLines(runs).count }, until: { !markerLines(runs).isEmpty })
        try #require(started, "the job never started\n\(cluster.logs())")
        let first = markerLines(runs)[0]
        let holder = try #require(cluster.instances.first { String($0.pid) == first[2] }, "exec ran under \(first[2])")
        #expect(try await cluster.sql("SELECT status || ' ' || attempts FROM processing_jobs") == "RUNNING 1")
        await holder.crash()

        let sessionId = first[1]
        let settled = try await Patience.wait(progress: { markerLines(runs).count }) {
            try await cluster.sql("SELECT status FROM upload_sessions WHERE id = '\(sessionId)'") == "COMPLETED"
        }
        try #require(settled, "the job was not taken over: \(markerLines(runs))\n\(cluster.logs())")
        let end = try await put.finish()
        #expect(end.status == 0, "put: \(end.stderr)")
        #expect(summary(end.stdout)?["completed"] as? Int == 1, "\(end.stdout)")
        #expect(try await cluster.sql("SELECT status || ' ' || attempts FROM processing_jobs") == "SUCCEEDED 2")
        let done = markerLines(runs)
        #expect(done.count == 3, "one start on the dead instance, one start and one end elsewhere: \(done)")
        if done.count == 3 {
            #expect(done.map { $0[0] } == ["start", "start", "end"], "\(done)")
            #expect(done[1][2] == done[2][2] && done[1][2] != String(holder.pid), "\(done)")
            #expect(cluster.instances.contains { String($0.pid) == done[1][2] && $0 !== holder })
        }
        return holder
    }

    /// The instance holding the leader's lock, once one that is not in `except` does; fails the
    /// test when none does within ``Patience/quiet`` seconds.
    private static func leader(of cluster: Cluster, except: [ClusterInstance] = []) async throws -> ClusterInstance {
        var found: ClusterInstance?
        _ = try await Patience.wait(progress: { 0 }) {
            found = try await cluster.leader()
            return found.map { leader in !except.contains { $0 === leader } } ?? false
        }
        if found == nil { Issue.record("nobody holds the leader's lock; advisory locks: \(try await cluster.advisoryLocks())") }
        let leader = try #require(found)
        try #require(!except.contains { $0 === leader }, "\(leader.name) still leads")
        return leader
    }

    /// The exec job's marker file, one array of words per line.
    private static func markerLines(_ path: String) -> [[String]] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    // MARK: migrate-db

    /// A fixtures database of 50 groups copied into a fresh PostgreSQL one: the copy passes
    /// `upman check`, and `upman top --once --json` and `upman check --json` read the same from both.
    @Test(.enabled(if: PostgresServer.unavailableReason == nil), .timeLimit(.minutes(3))) func migrateDBCopiesEverything() async throws {
        let folder = try TemporaryFolder()
        let postgres = try await PostgresServer.shared
        let target = try await postgres.freshDatabase()
        let source = folder.path("fixtures.db")
        let run = { (arguments: [String]) async throws -> BoundedRun in
            let binary = UpmanBinary.url.path
            return try await offPool { try BoundedRun.run(binary, arguments, timeout: 180) }
        }
        let fixtures = try await run(["fixtures", "--out", source, "--groups", "50", "--now", "2026-11-30T12:00:00Z"])
        try #require(fixtures.status == 0, "\(fixtures.errors)")
        // The data directory's URL signing key moves with the database: URLs signed before still hold.
        let key = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        try key.write(to: URL(fileURLWithPath: folder.path("signing.key")))
        let migrate = try await run(["migrate-db", "--from", source, "--to", target])
        #expect(migrate.status == 0, "\(migrate.output)\(migrate.errors)")
        #expect(migrate.output.contains("signing key: moved"), "\(migrate.output)")
        let moved = try await offPool { () throws -> Data in
            let copy = try UploadStore.open(target)
            defer { copy.close() }
            return try copy.sharedSecret("signing.key") { Data() }
        }
        #expect(moved == key)

        let checkCopy = try await run(["check", "--db", target, "--json"])
        #expect(checkCopy.status == 0, "\(checkCopy.output)\(checkCopy.errors)")
        let checkSource = try await run(["check", "--db", source, "--json"])
        #expect(checkSource.status == 0)
        #expect(checkCopy.output == checkSource.output)
        let copied = try #require(PutProcess.object(checkCopy.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(copied["groups"] as? Int == 50 && copied["ok"] as? Bool == true, "\(checkCopy.output)")

        let topCopy = try await run(["top", "--once", "--json", "--db", target])
        let topSource = try await run(["top", "--once", "--json", "--db", source])
        #expect(topCopy.status == 0 && topSource.status == 0, "\(topCopy.errors)\(topSource.errors)")
        #expect(!topCopy.output.isEmpty)
        #expect(topCopy.output == topSource.output, "top reads another database from PostgreSQL")
    }

    // MARK: Helpers

    /// The `summary` object put printed last.
    static func summary(_ output: String) -> [String: Any]? {
        output.split(separator: "\n").compactMap { PutProcess.object(String($0)) }.last { $0["event"] as? String == "summary" }
    }

    /// The `count` sessions of group `groupId` once every one has stopped moving (COMPLETED,
    /// FAILED, CANCELLED or EXPIRED: jobs ran), read with psql; fails the test when they have not
    /// within ``Patience/quiet`` seconds without progress.
    static func settledSessions(_ cluster: Cluster, groupId: String, count: Int) async throws -> [ClusterSession] {
        var sessions: [ClusterSession] = []
        let settled = try await Patience.wait(progress: { sessions.map(\.status) }) {
            sessions = try await cluster.rows(
                "SELECT \(ClusterSession.columns) FROM upload_sessions WHERE groupId = '\(groupId)' ORDER BY fileName"
            ).compactMap(ClusterSession.init(row:))
            return sessions.count == count && sessions.allSatisfy { ["COMPLETED", "FAILED", "CANCELLED", "EXPIRED"].contains($0.status) }
        }
        try #require(settled, "sessions did not settle: \(sessions)\n\(cluster.logs())")
        return sessions
    }

    /// `upman check --db` on the cluster's database passes.
    static func expectCheckPasses(_ cluster: Cluster, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let check = try await cluster.upman(["check", "--db", cluster.databaseURL])
        #expect(check.status == 0, "upman check: \(check.output)\(check.errors)", sourceLocation: sourceLocation)
        #expect(check.output.hasSuffix("ok\n"), "upman check: \(check.output)", sourceLocation: sourceLocation)
    }

    /// Writes an executable shell script running `body` into `folder` and returns its path.
    static func writeScript(in folder: URL, _ body: String) throws -> String {
        let path = folder.appendingPathComponent("job-\(UUID().uuidString.prefix(6)).sh").path
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw POSIXError(.EPERM) }
        return path
    }

    /// Where two id lists part, for a failure message.
    static func difference(_ got: [Int64], _ expected: [Int64]) -> String {
        let missing = Set(expected).subtracting(got).sorted()
        let extra = Set(got).subtracting(expected).sorted()
        let firstOff = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        return "got \(got.count), expected \(expected.count); missing \(missing.prefix(20)), unexpected \(extra.prefix(20)), "
            + "first out of place at \(firstOff.map(String.init) ?? "none")"
    }
}
