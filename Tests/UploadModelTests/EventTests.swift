import Foundation
import Testing
@testable import UploadModel

/// Typed events serialise to the JSON the SSE feed carries, and back.
@Suite struct EventTests {
    let time = Timestamp.date(millis: 1_795_000_000_123)

    var session: UploadSession {
        UploadSession(
            id: "ses_1", groupId: "grp_1", userId: "alice", fileName: "a b/写真.jpg", size: 42,
            objectKey: "alice/grp_1/ses_1/a.jpg", method: .single, partSize: 42, totalParts: 1,
            status: .failed, error: ErrorDetail(code: "checksumMismatch", message: "bad \"bytes\""),
            attempts: 2, createdAt: time)
    }

    @Test func sessionJSONHasTheDesignedFields() throws {
        let json = try EntityChange.session(session).json()
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["id", "groupId", "userId", "objectKey", "status", "totalParts", "completedParts",
                    "size", "createdAt", "updatedAt", "fileName", "bytesUploaded", "error", "attempts",
                    "lastActivityAt"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["status"] as? String == "FAILED")
        #expect(object["createdAt"] as? String == Timestamp.format(time))
        #expect((object["error"] as? [String: Any])?["code"] as? String == "checksumMismatch")
    }

    @Test func everyChangeRoundTrips() throws {
        let part = FilePart(sessionId: "ses_1", groupId: "grp_1", partNumber: 3, offset: 10, size: 5,
                            status: .uploaded, etag: "\"abc\"", createdAt: time, uploadedAt: time)
        let group = UploadGroup(id: "grp_1", userId: "alice", name: "photos", createdAt: time)
        let job = ProcessingJob(id: "job_1", sessionId: "ses_1", groupId: "grp_1", kind: "sha256",
                                status: .running, attempts: 1, createdAt: time, startedAt: time)
        let changes: [EntityChange] = [
            .group(group), .session(session), .part(part), .job(job),
            .deleted(DeletedEntity(kind: .session, id: "ses_1", groupId: "grp_1")),
        ]
        for change in changes {
            let event = try UploadEvent(change: change, userId: "alice", at: time)
            #expect(try event.change() == change)
            #expect(event.groupId == "grp_1")
        }
        let deleted = try UploadEvent(change: changes[4], userId: "alice", at: time)
        #expect(deleted.deleted && deleted.kind == .session)
        #expect(part.id == "ses_1:3")
    }

    @Test func sseFrameIsWellFormed() throws {
        var event = try UploadEvent(change: .session(session), userId: "alice", at: time)
        event.id = 17
        let frame = event.sseFrame
        #expect(frame.hasPrefix("id: 17\nevent: session\ndata: {"))
        #expect(frame.hasSuffix("}\n\n"))
        #expect(frame.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.count == 1)
    }

    @Test func multiLineDataIsSplitIntoDataLines() {
        let event = UploadEvent(id: 1, kind: .job, entityId: "j", groupId: "g", userId: "u",
                                data: "line1\nline2", createdAt: time)
        #expect(event.sseFrame == "id: 1\nevent: job\ndata: line1\ndata: line2\n\n")
    }

    @Test func resetNamesTheWindow() throws {
        let reset = UploadEvent.reset(latestId: 99, oldestId: 50, at: time)
        #expect(reset.kind == .reset)
        let object = try #require(JSONSerialization.jsonObject(with: Data(reset.data.utf8)) as? [String: Any])
        #expect(object["latestId"] as? Int == 99)
        #expect(object["oldestId"] as? Int == 50)
    }

    @Test func timestampsFormatAndParseBack() {
        #expect(Timestamp.format(Timestamp.date(millis: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Timestamp.date(millis: 1_795_000_000_123)) == "2026-11-18T11:06:40.123Z")
        #expect(Timestamp.format(Timestamp.date(millis: -1)) == "1969-12-31T23:59:59.999Z")
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<2_000 {
            let millis = Int64(rng.next() % 8_000_000_000_000) - 1_000_000_000_000
            let date = Timestamp.date(millis: millis)
            let text = Timestamp.format(date)
            #expect(Timestamp.parse(text) == date, "\(text)")
            let whole = Timestamp.date(millis: millis / 1000 * 1000)
            #expect(Timestamp.format(whole) == whole.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        #expect(Timestamp.parse("2026-11-25T02:15:13Z") != nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
