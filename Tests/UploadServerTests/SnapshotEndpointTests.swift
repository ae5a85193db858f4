import Foundation
import TestSupport
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// `GET /api/v1/snapshot` over real sockets: every view answers what the dashboard needs and matches
/// the OpenAPI document (``TestServer/send(_:_:headers:body:sourceLocation:)`` checks each answer),
/// pages sort and search as the dashboard's do, bad parameters are coded 400/422 (never 500), and a
/// token reads only what its scope allows.
@Suite struct SnapshotEndpointTests {
    /// Reads `query` (without the leading `?`) with `token` (the admin's unless given; none when `auth` is false).
    func read(_ server: TestServer, _ query: String, token: String? = nil, auth: Bool = true,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestServer.Reply {
        let headers = auth ? [("Authorization", "Bearer \(token ?? server.adminToken)")] : []
        return try await server.send(.GET, "/api/v1/snapshot?" + query, headers: headers, sourceLocation: sourceLocation)
    }

    /// Reads `query`, expects 200 and decodes the answer.
    func answer(_ server: TestServer, _ query: String, token: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> SnapshotAnswer {
        let reply = try await read(server, query, token: token, sourceLocation: sourceLocation)
        #expect(reply.status == 200, "\(query): \(reply.status) \(reply.text)", sourceLocation: sourceLocation)
        return try UploadJSON.decoder().decode(SnapshotAnswer.self, from: reply.body)
    }

    /// Creates a group named `name`; returns its id.
    func group(_ server: TestServer, _ name: String, token: String? = nil) async throws -> String {
        let created = try await server.ok("createGroup", ["name": name], token: token)
        return try #require((created["group"] as? [String: Any])?["id"] as? String)
    }

    @Test func everyViewAnswersWhatTheDashboardReads() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let photos = try await group(server, "photos")
        _ = try await group(server, "invoices")
        let sessionId = try await server.upload(randomBytes(3000), name: "beach.jpg", groupId: photos)
        try await server.waitFor("the jobs to finish") {
            try await server.store.reader.session(sessionId)?.status == .completed
        }
        let latest = try await server.store.reader.latestEventId()

        let overview = try await answer(server, "view=overview&limit=1")
        #expect(overview.view == .overview && overview.latestEventId == latest)
        #expect(overview.groups?.map(\.name) == ["photos"])
        #expect(overview.sessions == nil && overview.count == nil)

        let groups = try await answer(server, "view=groups")
        #expect(Set(groups.groups?.map(\.name) ?? []) == ["photos", "invoices"])
        #expect(try await answer(server, "view=groupCount").count == 2)
        let sums = try #require(try await answer(server, "view=sums").sums)
        #expect(sums.groups == 2 && sums.counters.totalFiles == 1 && sums.counters.completedFiles == 1)
        #expect(sums.counters.bytesUploaded == 3000)

        let sessions = try await answer(server, "view=sessions&groupId=\(photos)")
        #expect(sessions.sessions?.map(\.fileName) == ["beach.jpg"])
        #expect(try await answer(server, "view=parts&sessionId=\(sessionId)").parts?.map(\.partNumber) == [1])
        let jobs = try await answer(server, "view=jobs&sessionId=\(sessionId)").jobs ?? []
        #expect(jobs.map(\.kind) == ["sha256", "content-type"])

        let events = try #require(try await answer(server, "view=events&after=0&limit=3").events)
        #expect(events.count == 3 && events.map(\.id) == events.map(\.id).sorted() && events.first?.id ?? 0 > 0)
        let rest = try #require(try await answer(server, "view=events&after=\(events[2].id)").events)
        #expect(rest.first?.id ?? 0 > events[2].id && rest.last?.id == latest)
        let onlyLatest = try await answer(server, "view=latestEventId")
        #expect(onlyLatest.latestEventId == latest && onlyLatest.events == nil)

        #expect(try await answer(server, "view=problems").problems == [])
        #expect(try await answer(server, "view=problemCount").count == 0)

        let ofGroup = try #require(try await answer(server, "view=inspect&groupId=\(photos)").inspection)
        #expect(ofGroup.group?.id == photos && !ofGroup.history.isEmpty && ofGroup.storage?.hasPrefix("disk ") == true)
        let ofSession = try #require(try await answer(server, "view=inspect&sessionId=\(sessionId)").inspection)
        #expect(ofSession.session?.id == sessionId && ofSession.groupName == "photos")
        let ofPart = try #require(try await answer(server, "view=inspect&sessionId=\(sessionId)&partNumber=1").inspection)
        #expect(ofPart.part?.partNumber == 1 && ofPart.fileName == "beach.jpg" && ofPart.objectKey != nil)
        let ofJob = try #require(try await answer(server, "view=inspect&jobId=\(jobs[0].id)").inspection)
        #expect(ofJob.job?.id == jobs[0].id && ofJob.groupName == "photos")
        let gone = try #require(try await answer(server, "view=inspect&groupId=grp_gone").inspection)
        #expect(gone.group == nil && gone.history.isEmpty)
    }

    /// Groups that announce sizes near `Int64.max` add up past it: the sums saturate, never a 5xx
    /// (schemathesis found SQLite's "integer overflow" here).
    @Test func sumsOfAbsurdAnnouncedSizesSaturate() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        for name in ["huge-1", "huge-2"] {
            _ = try await server.ok("createGroup", ["name": name, "expectedFiles": 100_000_000, "expectedBytes": Int64.max])
        }
        let sums = try #require(try await answer(server, "view=sums").sums)
        #expect(sums.groups == 2 && sums.counters.totalBytes == .max && sums.counters.totalFiles == 200_000_000)
    }

    @Test func problemsListFailedFilesAndStalledOnes() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let groupId = try await group(server, "stuck")
        let initiated = try await server.ok("initiate", ["groupId": groupId, "fileName": "slow.bin", "size": 10])
        let sessionId = try #require((initiated["session"] as? [String: Any])?["id"] as? String)
        // Quiet for 0 seconds or more: stalled at once.
        let problems = try #require(try await answer(server, "view=problems&stalledFor=0").problems)
        #expect(problems.map(\.session?.id) == [sessionId] && problems.first?.groupName == "stuck")
        #expect(try await answer(server, "view=problemCount&stalledFor=0").count == 1)
        #expect(try await answer(server, "view=problemCount").count == 0)
        // The longest quiet time is clamped: the cut-off stays a time the database can hold.
        #expect(try await answer(server, "view=problemCount&stalledFor=999999999999999999").count == 0)
    }

    @Test func groupsPageSortAndSearchAsTheDashboardDoes() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        for name in ["delta", "alpha", "echo", "charlie", "bravo"] { _ = try await group(server, name) }
        func names(_ query: String) async throws -> [String] {
            try await answer(server, "view=groups&" + query).groups?.map(\.name) ?? []
        }
        #expect(try await names("sort=name&order=asc&limit=2") == ["alpha", "bravo"])
        #expect(try await names("sort=name&order=asc&offset=2&limit=2") == ["charlie", "delta"])
        #expect(try await names("sort=name&order=asc&offset=4&limit=2") == ["echo"])
        #expect(try await names("sort=name&order=desc&limit=1") == ["echo"])
        // Without order, the list's standard direction: groups newest / largest / last first.
        #expect(try await names("sort=name&limit=1") == ["echo"])
        #expect(try await names("sort=created&order=asc") == ["delta", "alpha", "echo", "charlie", "bravo"])
        // The standard order: most recently active first.
        #expect(try await names("limit=1") == ["bravo"])
        #expect(try await names("search=HAR") == ["charlie"])
        // Upper case: the name matches case-insensitively, a (lower-case) id never does.
        #expect(try await answer(server, "view=groupCount&search=A").count == 4)
        #expect(try await names("status=PENDING&sort=name&order=asc&limit=1") == ["alpha"])
        #expect(try await names("status=FAILED").isEmpty)
        // Large limits are clamped, not refused.
        #expect(try await names("limit=999999999").count == 5)
        #expect(try await names("offset=999999999999").isEmpty)
    }

    @Test func filesAndPartsPageSortAndSearch() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let groupId = try await group(server, "files")
        var big = ""
        for (name, size) in [("c.txt", 10), ("a.txt", 30), ("big.bin", 20_000_000), ("b.txt", 20)] {
            let initiated = try await server.ok("initiate", ["groupId": groupId, "fileName": name, "size": size])
            if name == "big.bin" { big = try #require((initiated["session"] as? [String: Any])?["id"] as? String) }
        }
        func names(_ query: String) async throws -> [String] {
            try await answer(server, "view=sessions&groupId=\(groupId)&" + query).sessions?.map(\.fileName) ?? []
        }
        #expect(try await names("") == ["c.txt", "a.txt", "big.bin", "b.txt"])
        #expect(try await names("sort=name&order=asc&limit=2") == ["a.txt", "b.txt"])
        #expect(try await names("sort=name&order=asc&offset=2") == ["big.bin", "c.txt"])
        #expect(try await names("sort=size&order=desc&limit=1") == ["big.bin"])
        #expect(try await names("search=B") == ["big.bin", "b.txt"])
        #expect(try await names("status=COMPLETED").isEmpty)
        let parts = try await answer(server, "view=parts&sessionId=\(big)&offset=1&limit=1").parts ?? []
        #expect(parts.map(\.partNumber) == [2])
    }

    @Test(arguments: [
        ("", 400, "badRequest"),
        ("view=", 400, "badRequest"),
        ("view=everything", 400, "badRequest"),
        ("view=groups&limit=abc", 400, "badRequest"),
        ("view=groups&limit=-1", 400, "badRequest"),
        ("view=groups&limit=1.5", 400, "badRequest"),
        ("view=groups&offset=99999999999999999999999", 400, "badRequest"),
        ("view=groups&sort=bogus", 400, "badRequest"),
        ("view=groups&order=up", 400, "badRequest"),
        ("view=events&after=x", 400, "badRequest"),
        ("view=problems&stalledFor=yesterday", 400, "badRequest"),
        ("view=sessions", 422, "invalidArgument"),
        ("view=sessions&groupId=grp_1&sort=errors", 422, "invalidArgument"),
        ("view=groups&status=NOPE", 422, "invalidArgument"),
        ("view=parts", 422, "invalidArgument"),
        ("view=jobs", 422, "invalidArgument"),
        ("view=inspect", 422, "invalidArgument"),
        ("view=inspect&groupId=a&jobId=b", 422, "invalidArgument"),
        ("view=problems&offset=5", 422, "invalidArgument"),
        ("view=sessions&groupId=grp_nope", 404, "notFound"),
        ("view=parts&sessionId=ses_nope", 404, "notFound"),
    ])
    func badParametersAreCodedErrors(query: String, status: Int, code: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let reply = try await read(server, query)
        #expect(reply.status == status, "\(query): \(reply.text)")
        #expect(reply.errorCode == code, "\(query): \(reply.text)")
    }

    @Test func aUserTokenReadsItsOwnUploadsOnly() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let alice = try server.userToken("alice")
        let bob = try server.userToken("bob")
        let alicesGroup = try await group(server, "alice-photos", token: alice)
        let bobsGroup = try await group(server, "bob-photos", token: bob)
        let alicesFile = try await server.upload(randomBytes(100), name: "a.txt", groupId: alicesGroup, token: alice)
        let bobsFile = try await server.upload(randomBytes(200, seed: 2), name: "b.txt", groupId: bobsGroup, token: bob)
        // More of bob's groups than a page of alice's: the filter is in the query, before the limit.
        for index in 0..<3 { _ = try await group(server, "bob-\(index)", token: bob) }

        let page = try await answer(server, "view=groups&limit=1", token: alice)
        #expect(page.groups?.map(\.name) == ["alice-photos"])
        #expect(try await answer(server, "view=overview&limit=1", token: alice).groups?.map(\.name) == ["alice-photos"])
        #expect(try await answer(server, "view=groupCount", token: alice).count == 1)
        #expect(try await answer(server, "view=groupCount", token: bob).count == 4)
        #expect(try await answer(server, "view=groupCount").count == 5)
        let sums = try #require(try await answer(server, "view=sums", token: alice).sums)
        #expect(sums.groups == 1 && sums.counters.totalBytes == 100)
        #expect(try await answer(server, "view=sessions&groupId=\(alicesGroup)", token: alice).sessions?.count == 1)

        for query in [
            "view=sessions&groupId=\(bobsGroup)", "view=parts&sessionId=\(bobsFile)", "view=jobs&sessionId=\(bobsFile)",
            "view=inspect&groupId=\(bobsGroup)", "view=inspect&sessionId=\(bobsFile)",
            "view=inspect&sessionId=\(bobsFile)&partNumber=1", "view=inspect&groupId=grp_gone",
            // Views that do not read an id still refuse another user's (schemathesis's check).
            "view=problemCount&groupId=\(bobsGroup)", "view=events&groupId=\(bobsGroup)", "view=sums&sessionId=\(bobsFile)",
        ] {
            let reply = try await read(server, query, token: alice)
            #expect(reply.status == 404 && reply.errorCode == "notFound", "\(query): \(reply.text)")
        }
        let events = try #require(try await answer(server, "view=events&after=0&limit=5000", token: alice).events)
        #expect(!events.isEmpty && events.allSatisfy { $0.userId == "alice" })
        let alicesLatest = try await answer(server, "view=latestEventId", token: alice).latestEventId
        #expect(alicesLatest == events.last?.id)
        #expect(alicesLatest < (try await answer(server, "view=latestEventId").latestEventId))
        let mine = try #require(try await answer(server, "view=inspect&sessionId=\(alicesFile)", token: alice).inspection)
        #expect(mine.session?.id == alicesFile && mine.storage == nil && mine.history.allSatisfy { $0.userId == "alice" })
        // Bob's stalled file is not alice's problem.
        _ = try await server.ok("initiate", ["groupId": bobsGroup, "fileName": "slow.bin", "size": 10], token: bob)
        #expect(try await answer(server, "view=problems&stalledFor=0", token: alice).problems == [])
        #expect(try await answer(server, "view=problemCount&stalledFor=0", token: alice).count == 0)
        #expect(try await answer(server, "view=problemCount&stalledFor=0", token: bob).count == 1)
    }

    @Test func withoutATokenIs401AndNarrowTokensAre403() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.finish() } }
        let none = try await read(server, "view=groups", auth: false)
        #expect(none.status == 401 && none.errorCode == "unauthorized")
        #expect(none.headers.first(name: "WWW-Authenticate") == "Bearer")
        let unknown = try await read(server, "view=groups", token: "not-a-token")
        #expect(unknown.status == 401 && unknown.errorCode == "unauthorized")
        let link = try TokenIssuer.createUploadLink(
            in: server.store, userId: "alice", groupName: nil, expiresAt: Date().addingTimeInterval(3600), maxBytes: nil)
        let byLink = try await read(server, "view=groups", token: link)
        #expect(byLink.status == 403 && byLink.errorCode == "forbidden")
        let alice = try server.userToken("alice")
        let events = try #require(try await server.ok("eventsToken", [:], token: alice)["token"] as? String)
        let byEventsToken = try await read(server, "view=groups", token: events)
        #expect(byEventsToken.status == 403 && byEventsToken.errorCode == "forbidden")
        // Only the event stream takes a token in the URL.
        let inQuery = try await read(server, "view=groups&access_token=\(events)", auth: false)
        #expect(inQuery.status == 401)
    }
}
