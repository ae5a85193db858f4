@testable import Dashboard
import Foundation
import Testing
import UploadModel

/// The inspector: every field, the whole error and output, local times with ages, the history
/// with who acted; live while open; Esc returns where the operator was.
@Suite struct InspectorTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ id: Int64, _ change: EntityChange, at time: Date) throws -> UploadEvent {
        var event = try UploadEvent(change: change, userId: "alice", at: time)
        event.id = id
        return event
    }

    /// The scene with a job whose error and output are long, and its history in the log.
    func scene() throws -> StaticSource {
        let source = StaticSource.scene(now: now)
        var job = source.jobs[0]
        job.error = ErrorDetail(code: "execFailed", message: "exec: /tmp/upman-demo-774adef8/hooks/scan.sh exited with status 3 after 2.1 s: "
            + "the scanner could not reach its signature database at https://scanner.internal.example/db (connection refused)")
        job.output = (1...40).map { "scan line \($0): checked block \($0 * 4096)" }.joined(separator: "\n")
        source.jobs[0] = job
        var history = job
        history.status = .queued
        history.actedBy = "system"
        history.error = nil
        history.output = nil
        source.log = [try event(1, .job(history), at: now - 240)]
        history.status = .running
        source.log.append(try event(2, .job(history), at: now - 239))
        history.status = .failed
        history.error = job.error
        source.log.append(try event(3, .job(history), at: now - 236))
        history.status = .queued
        history.actedBy = "admin:carol"
        source.log.append(try event(4, .job(history), at: now - 120))
        history.status = .failed
        history.actedBy = "system"
        source.log.append(try event(5, .job(history), at: now - 118))
        return source
    }

    func inspectorBoard() throws -> Dashboard {
        let board = try Dashboard(source: try scene(), serverLabel: "http://127.0.0.1:8080", now: now)
        board.timeZone = TimeZone(identifier: "Europe/Berlin")!
        board.setConnection(.live)
        _ = board.handle(.enter, now: now)  // files
        _ = board.handle(.enter, now: now)  // parts
        _ = board.handle(.tab, now: now)    // jobs
        #expect(board.focus == .jobs)
        _ = board.handle(.enter, now: now)  // Enter on a job inspects it
        return board
    }

    @Test func enterOnAJobShowsEveryFieldTheWholeErrorAndTheHistory() throws {
        let board = try inspectorBoard()
        #expect(board.inspecting == .job("job_1"))
        let grid = board.render(width: 100, height: 40, now: now)
        try Snapshot.check(grid.text, named: "inspector-job-100x40")
        let text = grid.text
        #expect(text.contains("signature database at"))
        #expect(text.contains("(connection refused)"), "the whole error, wrapped")
        #expect(text.contains("2026-09-21"), "local dates")
        #expect(text.contains("+02:00"), "in the local time zone")
        #expect(text.contains("ago)"))
        #expect(text.contains("FAILED → QUEUED"))
        #expect(text.contains("by admin:carol"), "who retried")
    }

    @Test func theOutputScrollsToItsEnd() throws {
        let board = try inspectorBoard()
        #expect(!board.render(width: 100, height: 40, now: now).text.contains("scan line 40:"))
        _ = board.handle(.character("G"), now: now)
        let text = board.render(width: 100, height: 40, now: now).text
        #expect(text.contains("scan line 40: checked block 163840"))
        #expect(!text.contains("scan line 1:"), "scrolled")
    }

    @Test func escapeReturnsToThePaneAndSelection() throws {
        let board = try inspectorBoard()
        _ = board.handle(.escape, now: now)
        #expect(board.inspecting == nil)
        #expect(board.focus == .jobs)
        #expect(board.selectedJob?.id == "job_1")
    }

    @Test func itStaysLiveWhileOpen() throws {
        let source = try scene()
        let board = try Dashboard(source: source, now: now)
        _ = board.handle(.character("i"), now: now)
        #expect(board.inspecting == .group("grp_a"))
        var group = source.groups[0]
        group.status = .cancelled
        group.actedBy = "admin:dave"
        board.apply(try event(9, .group(group), at: now + 1), now: now + 1)
        let text = board.render(width: 100, height: 40, now: now + 1).text
        #expect(text.contains("last acted by   admin:dave"))
        #expect(text.contains("CANCELLED  by admin:dave"))
    }

    @Test func aFileShowsItsObjectKeyAndWhereItIsStored() throws {
        let source = try scene()
        source.sessions[1].checksum = ObjectChecksum(algorithm: "crc32c", value: "yZRlqg==")
        let board = try Dashboard(source: source, now: now)
        _ = board.handle(.enter, now: now)
        _ = board.handle(.down, now: now)
        _ = board.handle(.character("i"), now: now)
        let text = board.render(width: 120, height: 40, now: now).text
        #expect(text.contains("object key      alice/grp_a/ses_2/cafe.png"))
        #expect(text.contains("stored at       /srv/upman/storage/objects/alice/grp_a/ses_2/cafe.png"))
        #expect(text.contains("crc32c yZRlqg=="))
    }

    @Test func retryFromTheInspectorActsOnWhatItShows() throws {
        let board = try inspectorBoard()
        let effects = board.handle(.character("r"), now: now)
        #expect(effects == [.perform(OperatorAction(verb: .retry, jobId: "job_1", subject: "sha256 job of '東京タワー.jpg'"))])
    }

    @Test func actionsInTheInspectorTargetWhatItShowsNotTheListsRow() throws {
        let source = try scene()
        source.jobs[0].status = .succeeded
        source.jobs[0].error = nil
        source.sessions.append(UploadSession(
            id: "ses_9", groupId: "grp_c", userId: "carol", fileName: "db-dump.tar", size: 10 << 20,
            objectKey: "carol/grp_c/ses_9/db-dump.tar", method: .multipart, partSize: 5 << 20, totalParts: 2,
            bytesUploaded: 1 << 20, status: .uploading, createdAt: now - 1800, lastActivityAt: now - 600))
        let board = try Dashboard(source: source, now: now)
        _ = board.handle(.character("!"), now: now)
        _ = board.handle(.enter, now: now)
        #expect(board.inspecting == .session("ses_1"))
        // Retried elsewhere, the file leaves the problems list and the list's selection moves on.
        source.sessions[0].status = .uploading
        source.sessions[0].lastActivityAt = now + 2
        board.apply(try event(20, .session(source.sessions[0]), at: now + 2), now: now + 2)
        try board.refresh(now: now + 2)
        _ = board.handle(.character("c"), now: now + 2)
        guard case .confirming(let action) = board.mode else { Issue.record("no confirmation"); return }
        #expect(action.sessionId == "ses_1" && action.subject.contains("東京タワー.jpg"), "\(action)")
    }

    @Test func aJobsInspectorNoticesItsFileWasDeletedAndActsOnNothing() throws {
        let board = try inspectorBoard()
        board.apply(try event(30, .deleted(DeletedEntity(kind: .session, id: "ses_1", groupId: "grp_a", actedBy: "admin:x")), at: now + 1),
                    now: now + 1)
        #expect(board.render(width: 100, height: 40, now: now + 1).text.contains("Inspect · Gone"))
        #expect(board.handle(.character("d"), now: now + 1).isEmpty)
        #expect(board.mode == .normal)
        #expect(board.status?.text == "it no longer exists: nothing to delete")
    }

    @Test func keysAreIgnoredWhileTheTerminalIsTooSmall() throws {
        let board = try Dashboard(source: try scene(), now: now)
        _ = board.handle(.character("c"), now: now)
        guard case .confirming = board.mode else { Issue.record("no confirmation"); return }
        _ = board.render(width: 40, height: 10, now: now)
        #expect(board.handle(.character("y"), now: now).isEmpty, "a hidden dialog is not confirmed")
        _ = board.render(width: 120, height: 40, now: now)
        guard case .confirming = board.mode else { Issue.record("the dialog should still be open"); return }
        _ = board.render(width: 40, height: 10, now: now)
        #expect(board.handle(.character("q"), now: now) == [.quit])
    }
}
