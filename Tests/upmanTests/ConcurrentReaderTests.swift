import Foundation
import Testing
import UploadModel
import UploadStore

/// A second process reads the database in WAL mode while this one writes: it only ever sees
/// committed states (every invariant holds in every snapshot) and never fails.
@Suite struct ConcurrentReaderTests {
    @Test func readerProcessSeesOnlyCommittedStates() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("live.db")
        let store = try UploadStore(path: path)
        let mib = PartPlanner.mebibyte
        let files = 40
        try store.write(actedBy: "alice") { tx in
            try tx.groups.create(UploadGroup(id: "grp_live", userId: "alice", name: "live", createdAt: tx.now))
            for index in 0..<files {
                let plan = try PartPlanner().plan(fileSize: 80 * mib)
                try tx.sessions.create(UploadSession(
                    id: "ses_\(index)", groupId: "grp_live", userId: "alice", fileName: "f\(index)",
                    size: 80 * mib, objectKey: "k\(index)", method: plan.method, partSize: plan.partSize,
                    totalParts: plan.totalParts, createdAt: tx.now))
            }
        }
        let done = DoneFlag()
        let writer = Task.detached {
            defer { done.set() }
            // Each transaction moves several rows whose counters must agree.
            for index in 0..<files {
                for number in 1...10 {
                    try store.write(actedBy: "alice") { tx in
                        try tx.parts.markUploaded(sessionId: "ses_\(index)", partNumber: number, etag: "\"\(number)\"")
                    }
                }
                try store.write(actedBy: "alice") { tx in
                    try tx.sessions.transition("ses_\(index)", to: .uploaded)
                    try tx.sessions.transition("ses_\(index)", to: index % 5 == 0 ? .failed : .completed)
                }
            }
        }
        var runs = 0
        var failures: [String] = []
        while true {
            let result = try await UpmanBinary.run(["check", "--db", path, "--json"])
            runs += 1
            if result.status != 0 { failures.append(result.stdout + result.stderr) }
            if done.isSet && runs >= 3 { break }
        }
        try await writer.value
        #expect(failures == [], "reader saw a torn state")
        #expect(runs >= 3)
        print("reader runs: \(runs)")
        let group = try #require(try await store.reader.group("grp_live"))
        #expect(group.status == .failed)
        #expect(group.completedFiles == files - files / 5)
    }
}

/// A flag one task sets and another reads.
final class DoneFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
