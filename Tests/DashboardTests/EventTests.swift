import Dashboard
import Foundation
import Testing
import UploadModel

/// The dashboard kept live by events: patches, deletions, skipped duplicates, speeds.
@Suite struct EventTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ id: Int64, _ change: EntityChange, at time: Date) throws -> UploadEvent {
        var event = try UploadEvent(change: change, userId: "alice", at: time)
        event.id = id
        return event
    }

    @Test func partAndSessionEventsPatchTheSelectedFile() throws {
        let source = StaticSource.scene(now: now)
        let board = try Dashboard(source: source, now: now)
        var part = source.parts[1]
        part.status = .pending
        part.error = nil
        try board.apply(event(1, .part(part), at: now), now: now)
        #expect(board.needsRender)
        let text = board.render(width: 120, height: 34, now: now).text
        #expect(!text.contains("Content-MD5 does not match"))
        var session = source.sessions[2]
        session.bytesUploaded = 8 << 20
        session.status = .uploaded
        try board.apply(event(2, .session(session), at: now), now: now)
        #expect(board.render(width: 120, height: 34, now: now).text.contains("UPLOADED"))
        // An event already applied (a replay overlapping the database) changes nothing.
        session.status = .failed
        try board.apply(event(2, .session(session), at: now), now: now)
        #expect(board.lastEventId == 2)
    }

    @Test func groupEventsGiveSpeedAndTheSparkline() throws {
        let source = StaticSource.scene(now: now)
        let board = try Dashboard(source: source, now: now)
        var group = source.groups[0]
        for second in 1...5 {
            group.bytesUploaded += 2 << 20
            try board.apply(event(Int64(second), .group(group), at: now + Double(second)), now: now + Double(second))
        }
        let grid = board.render(width: 120, height: 34, now: now + 6)
        // 10 MiB in the last 10 s: the header's speed is the sum of the rows'.
        #expect(grid.rowText(0).hasSuffix("1.0 MiB/s"))
        #expect(grid.rowText(3).contains("1.0 MiB/s"))
        #expect(grid.text.contains("█"))
    }

    @Test func deletingTheSelectedGroupMovesTheSelection() throws {
        let source = StaticSource.scene(now: now)
        let board = try Dashboard(source: source, now: now)
        try board.apply(event(1, .deleted(DeletedEntity(kind: .group, id: "grp_a", groupId: "grp_a")), at: now), now: now)
        #expect(board.selectedGroupId == "grp_c")
        #expect(!board.render(width: 120, height: 34, now: now).text.contains("写真"))
    }

    @Test func watchingTheDatabaseAppliesItsEventLog() throws {
        let source = StaticSource.scene(now: now)
        let board = try Dashboard(source: source, now: now)
        var group = source.groups[2]
        group.status = .cancelled
        source.log = [try event(1, .group(group), at: now)]
        #expect(try board.catchUpFromSource(now: now))
        #expect(board.render(width: 120, height: 34, now: now).text.contains("CANCELLED"))
        #expect(try !board.catchUpFromSource(now: now))
    }

    @Test func stalledGroupsAreMarked() throws {
        let board = try Dashboard(source: StaticSource.scene(now: now), now: now)
        let text = board.render(width: 120, height: 34, now: now).text
        #expect(text.contains("stuck-backup"))
        #expect(text.split(separator: "\n").first { $0.contains("stuck-backup") }?.contains("STALLED") == true)
    }
}
