@testable import Dashboard
import Foundation
import Testing
import UploadModel

/// The problems view: failed, expired and stalled files and failed jobs across all groups,
/// newest first, counted in the header; `r` retries and Enter inspects.
@Suite struct ProblemsTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func scene() -> StaticSource {
        let source = StaticSource.scene(now: now)
        // A file in another group that went quiet ten minutes ago.
        source.sessions.append(UploadSession(
            id: "ses_9", groupId: "grp_c", userId: "carol", fileName: "db-dump.tar", size: 10 << 20,
            objectKey: "carol/grp_c/ses_9/db-dump.tar", method: .multipart, partSize: 5 << 20, totalParts: 2,
            bytesUploaded: 1 << 20, status: .uploading, createdAt: now - 1800, lastActivityAt: now - 600))
        return source
    }

    @Test func bangShowsEveryProblemNewestFirstAndTheHeaderCountsThem() throws {
        let board = try Dashboard(source: scene(), serverLabel: "http://127.0.0.1:8080", now: now)
        board.setConnection(.live)
        #expect(board.render(width: 120, height: 30, now: now).rowText(0).contains("⚠ 3 problems"))
        _ = board.handle(.character("!"), now: now)
        #expect(board.showingProblems)
        let grid = board.render(width: 120, height: 30, now: now)
        try Snapshot.check(grid.text, named: "problems-120x30")
        let rows = (3...5).map { grid.rowText($0) }
        #expect(rows[0].contains("東京タワー.jpg") && rows[0].contains("FAILED"))
        #expect(rows[1].contains("sha256") && rows[1].contains("declared sha256 differs"))
        #expect(rows[2].contains("STALLED") && rows[2].contains("stuck-backup") && rows[2].contains("db-dump.tar"))
    }

    @Test func retryAndInspectWorkFromTheView() throws {
        let board = try Dashboard(source: scene(), now: now)
        _ = board.handle(.character("!"), now: now)
        #expect(board.handle(.character("r"), now: now)
            == [.perform(OperatorAction(verb: .retry, sessionId: "ses_1", subject: "what failed in '東京タワー.jpg'"))])
        _ = board.handle(.down, now: now)
        _ = board.handle(.enter, now: now)
        #expect(board.inspecting == .job("job_1"))
        _ = board.handle(.escape, now: now)
        #expect(board.showingProblems && board.focus == .problems)
        _ = board.handle(.escape, now: now)
        #expect(!board.showingProblems && board.focus == .groups)
    }

    @Test func tabStaysInTheView() throws {
        let board = try Dashboard(source: scene(), now: now)
        _ = board.handle(.character("!"), now: now)
        _ = board.render(width: 120, height: 30, now: now)
        _ = board.handle(.tab, now: now)
        #expect(board.focus == .problems)
    }
}
