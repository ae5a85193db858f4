import Foundation
import Testing

/// The tus 1.0.0 endpoint at `/files/` of `upman serve`, driven by curl: one table of requests
/// per test (one server each), every row a status and the headers its answer must carry. Each
/// answer must also carry `Tus-Resumable: 1.0.0`, and each error (but HEAD's) a JSON error body.
@Suite struct TusProtocolTests {
    static let octets = ["Content-Type": "application/offset+octet-stream"]
    static let extensions: Set<String> = [
        "creation", "creation-with-upload", "creation-defer-length", "termination", "checksum", "expiration", "concatenation",
    ]

    @Test func discoveryNeedsNoTokenAndOtherVersionsGet412() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("OPTIONS without token or Tus-Resumable", "OPTIONS", "/files/", auth: .none, resumable: nil, status: [204], checks: [
                .header("Tus-Version", "1.0.0"),
                .list("Tus-Extension", exactly: Self.extensions),
                .header("Tus-Max-Size", "is a positive integer") { (Int($0) ?? 0) > 0 },
                .list("Tus-Checksum-Algorithm", including: ["sha1", "md5", "crc32", "sha256"]),
            ]),
            TusRow("create an upload", "POST", "/files/", headers: ["Upload-Length": "3"], status: [201], capture: "a"),
            TusRow("POST without Tus-Resumable", "POST", "/files/", headers: ["Upload-Length": "3"], resumable: nil,
                   status: [412], checks: [.header("Tus-Version", "1.0.0")]),
            TusRow("POST with Tus-Resumable 0.2.2", "POST", "/files/", headers: ["Upload-Length": "3"], resumable: "0.2.2",
                   status: [412], checks: [.header("Tus-Version", "1.0.0")]),
            TusRow("HEAD without Tus-Resumable", "HEAD", "@a", resumable: nil, status: [412], checks: [.header("Tus-Version", "1.0.0")]),
            TusRow("PATCH with Tus-Resumable 2.0.0", "PATCH", "@a", headers: Self.octets.merging(["Upload-Offset": "0"]) { $1 },
                   body: Array("abc".utf8), resumable: "2.0.0", status: [412], checks: [.header("Tus-Version", "1.0.0")]),
            TusRow("DELETE without Tus-Resumable", "DELETE", "@a", resumable: nil, status: [412], checks: [.header("Tus-Version", "1.0.0")]),
            .head("the refused PATCH and DELETE changed nothing", "@a", [.header("Upload-Offset", "0"), .header("Upload-Length", "3")]),
        ])
    }

    @Test func tokensDecideWhoMayTouchAnUpload() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        let bob = TusAuth.user("bob")
        try await table.run([
            TusRow("POST without a token", "POST", "/files/", headers: ["Upload-Length": "4"], auth: .none, status: [401]),
            TusRow("POST with an unknown token", "POST", "/files/", headers: ["Upload-Length": "4"],
                   auth: .bearer("upm_notatoken0000000000000000000000000000"), status: [401]),
            TusRow("alice creates an upload", "POST", "/files/", headers: ["Upload-Length": "4"], auth: .user("alice"),
                   status: [201], checks: [.locationOfASession], capture: "a"),
            TusRow("HEAD without a token", "HEAD", "@a", auth: .none, status: [401]),
            .patch("PATCH with an unknown token", "@a", offset: 0, Array("ab".utf8), auth: .bearer("upm_nope"), status: [401]),
            TusRow("bob's HEAD of alice's upload", "HEAD", "@a", auth: bob, status: [404]),
            .patch("bob's PATCH of alice's upload", "@a", offset: 0, Array("ab".utf8), auth: bob, status: [404]),
            TusRow("bob's DELETE of alice's upload", "DELETE", "@a", auth: bob, status: [404]),
            .head("alice still sees it, untouched", "@a", auth: .user("alice"), [.header("Upload-Offset", "0"), .header("Upload-Length", "4")]),
            .patch("alice's PATCH", "@a", offset: 0, Array("ab".utf8), auth: .user("alice"), status: [204], checks: [.header("Upload-Offset", "2")]),
        ])
    }

    @Test func creationAnswersALocationAndHeadEchoesTheUpload() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        let options = try await table.send(TusRow("OPTIONS", "OPTIONS", "/files/", auth: .none, resumable: nil, status: [204]))
        let max = try #require(options.int("Tus-Max-Size"), "Tus-Max-Size: \(options.summary)")
        // Ten times the maximum: above it however large it is, without overflowing.
        table.values["above-max"] = "\(max)0"
        let metadata = TusDigest.metadata(["filename": "hello.txt", "group": "tus-creation", "filetype": "text/plain"])
        try await table.run([
            TusRow("POST with Upload-Length and Upload-Metadata", "POST", "/files/", headers: ["Upload-Length": "11", "Upload-Metadata": metadata],
                   status: [201], checks: [.locationOfASession, .expiresInTheFuture], capture: "a"),
            .head("HEAD of a new upload", "@a", [
                .header("Upload-Offset", "0"), .header("Upload-Length", "11"), .absent("Upload-Defer-Length"),
                .header("Cache-Control", "includes no-store") { TusTable.items($0).contains("no-store") },
                .header("Upload-Metadata", "as created") { TusDigest.parseMetadata($0) == TusDigest.parseMetadata(metadata) },
                .expiresInTheFuture,
            ]),
            TusRow("HEAD of an unknown upload", "HEAD", "/files/ses_doesnotexist0000000", status: [404]),
            TusRow("POST without a length", "POST", "/files/", status: [400]),
            TusRow("POST with both length headers", "POST", "/files/", headers: ["Upload-Length": "5", "Upload-Defer-Length": "1"], status: [400]),
            TusRow("POST with Upload-Length eleven", "POST", "/files/", headers: ["Upload-Length": "eleven"], status: [400]),
            TusRow("POST with Upload-Length -1", "POST", "/files/", headers: ["Upload-Length": "-1"], status: [400]),
            TusRow("POST with Upload-Length 1.5", "POST", "/files/", headers: ["Upload-Length": "1.5"], status: [400]),
            TusRow("POST with Upload-Length above Tus-Max-Size", "POST", "/files/", headers: ["Upload-Length": "{above-max}"], status: [413]),
            TusRow("POST with Upload-Defer-Length 2", "POST", "/files/", headers: ["Upload-Defer-Length": "2"], status: [400]),
            TusRow("POST with Upload-Defer-Length yes", "POST", "/files/", headers: ["Upload-Defer-Length": "yes"], status: [400]),
        ])
        let status = try await bed.status(table.sessionId("a"))
        #expect(status.session["fileName"] as? String == "hello.txt", "the filename metadata names the file: \(status.session)")
        #expect(status.session["size"] as? Int == 11, "\(status.session)")
    }

    @Test func creationWithUploadTakesTheFirstBytes() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("POST with the first 5 bytes", "POST", "/files/", headers: Self.octets.merging(["Upload-Length": "11"]) { $1 },
                   body: Array("hello".utf8), status: [201], checks: [.locationOfASession, .header("Upload-Offset", "5")], capture: "a"),
            .head("HEAD shows them", "@a", [.header("Upload-Offset", "5"), .header("Upload-Length", "11")]),
            .patch("PATCH the rest", "@a", offset: 5, Array(" world".utf8), status: [204], checks: [.header("Upload-Offset", "11")]),
            .head("HEAD of the finished upload", "@a", [.header("Upload-Offset", "11"), .header("Upload-Length", "11")]),
            TusRow("POST with every byte", "POST", "/files/", headers: Self.octets.merging(["Upload-Length": "4"]) { $1 },
                   body: Array("tiny".utf8), status: [201], checks: [.header("Upload-Offset", "4")], capture: "b"),
        ])
        let a = try await bed.finished(table.sessionId("a"))
        #expect(a.status == "COMPLETED" && a.sha256 == TusDigest.sha256Hex(Array("hello world".utf8)), "\(a)")
        let b = try await bed.finished(table.sessionId("b"))
        #expect(b.status == "COMPLETED" && b.sha256 == TusDigest.sha256Hex(Array("tiny".utf8)), "\(b)")
    }

    @Test func anEmptyUploadIsFinishedByItsCreation() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("POST with Upload-Length 0", "POST", "/files/",
                   headers: ["Upload-Length": "0", "Upload-Metadata": TusDigest.metadata(["filename": "empty.bin"])],
                   status: [201], checks: [.locationOfASession], capture: "a"),
            .head("HEAD of the empty upload", "@a", [.header("Upload-Offset", "0"), .header("Upload-Length", "0")]),
        ])
        // Its offset is its length from the start: it is finished without any PATCH (tusd finishes
        // it on creation; tuspy sends no PATCH for an empty file).
        let done = try await bed.finished(table.sessionId("a"))
        #expect(done.status == "COMPLETED" && done.sha256 == TusDigest.sha256Hex([]), "\(done)")
    }

    @Test func patchChecksOffsetsTypesSizesAndChecksums() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        let bytes = Array("0123456789".utf8)
        let wrong = Array("XX".utf8)
        let at4: TusCheck = .header("Upload-Offset", "4")
        var rows: [TusRow] = [
            TusRow("create 10 bytes", "POST", "/files/", headers: ["Upload-Length": "10"], status: [201], capture: "a"),
            TusRow("PATCH with Content-Type application/octet-stream", "PATCH", "@a",
                   headers: ["Content-Type": "application/octet-stream", "Upload-Offset": "0"], body: Array(bytes[0..<4]), status: [415]),
            TusRow("PATCH without Upload-Offset", "PATCH", "@a", headers: Self.octets, body: Array(bytes[0..<4]), status: [400]),
            .patch("PATCH at offset 3 of 0", "@a", offset: 3, Array(bytes[3..<5]), status: [409]),
            .patch("PATCH 4 bytes", "@a", offset: 0, Array(bytes[0..<4]), status: [204], checks: [at4]),
            .patch("PATCH the same bytes again at 0", "@a", offset: 0, Array(bytes[0..<4]), status: [409]),
            .patch("PATCH 7 bytes where 6 are left", "@a", offset: 4, Array(bytes[4..<10]) + [0x58], status: [413]),
            .head("the refused PATCHes moved nothing", "@a", [at4]),
        ]
        for algorithm in ["sha1", "md5", "crc32", "sha256"] {
            rows.append(.patch("PATCH with a wrong \(algorithm)", "@a", offset: 4, Array(bytes[4..<6]),
                               headers: ["Upload-Checksum": TusDigest.header(algorithm, wrong)], status: [460]))
            rows.append(.head("a checksum mismatch (\(algorithm)) keeps the old offset", "@a", [at4]))
        }
        rows += [
            .patch("PATCH with an unknown algorithm", "@a", offset: 4, Array(bytes[4..<6]),
                   headers: ["Upload-Checksum": "whirlpool " + Data(repeating: 1, count: 64).base64EncodedString()], status: [400]),
            .head("an unknown algorithm keeps the old offset", "@a", [at4]),
            .patch("PATCH with a right md5", "@a", offset: 4, Array(bytes[4..<6]),
                   headers: ["Upload-Checksum": TusDigest.header("md5", Array(bytes[4..<6]))], status: [204], checks: [.header("Upload-Offset", "6")]),
            .patch("PATCH with a right crc32", "@a", offset: 6, Array(bytes[6..<8]),
                   headers: ["Upload-Checksum": TusDigest.header("crc32", Array(bytes[6..<8]))], status: [204], checks: [.header("Upload-Offset", "8")]),
            .patch("PATCH with a right sha256", "@a", offset: 8, Array(bytes[8..<9]),
                   headers: ["Upload-Checksum": TusDigest.header("sha256", Array(bytes[8..<9]))], status: [204], checks: [.header("Upload-Offset", "9")]),
            .patch("PATCH the last byte with a right sha1", "@a", offset: 9, Array(bytes[9..<10]),
                   headers: ["Upload-Checksum": TusDigest.header("sha1", Array(bytes[9..<10]))], status: [204], checks: [.header("Upload-Offset", "10")]),
            .head("HEAD at the end", "@a", [.header("Upload-Offset", "10"), .header("Upload-Length", "10")]),
        ]
        try await table.run(rows)
        let done = try await bed.finished(table.sessionId("a"))
        #expect(done.status == "COMPLETED", "\(done)")
        #expect(done.sha256 == TusDigest.sha256Hex(bytes), "the stored object is the bytes PATCHed: \(done)")
    }

    @Test func aDeferredLengthIsDeclaredByAPatch() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("POST with Upload-Defer-Length 1", "POST", "/files/", headers: ["Upload-Defer-Length": "1"],
                   status: [201], checks: [.locationOfASession], capture: "d"),
            .head("HEAD while the length is unknown", "@d", [
                .header("Upload-Defer-Length", "1"), .absent("Upload-Length"), .header("Upload-Offset", "0"),
            ]),
            .patch("PATCH without a length", "@d", offset: 0, Array("abc".utf8), status: [204], checks: [.header("Upload-Offset", "3")]),
            .head("still deferred", "@d", [.header("Upload-Defer-Length", "1"), .absent("Upload-Length"), .header("Upload-Offset", "3")]),
            .patch("the last PATCH declares Upload-Length 6", "@d", offset: 3, Array("def".utf8), headers: ["Upload-Length": "6"],
                   status: [204], checks: [.header("Upload-Offset", "6")]),
            .head("HEAD shows the length", "@d", [.header("Upload-Length", "6"), .absent("Upload-Defer-Length"), .header("Upload-Offset", "6")]),

            TusRow("another deferred upload", "POST", "/files/", headers: ["Upload-Defer-Length": "1"], status: [201], capture: "e"),
            .patch("the first PATCH declares Upload-Length 5", "@e", offset: 0, Array("ab".utf8), headers: ["Upload-Length": "5"],
                   status: [204], checks: [.header("Upload-Offset", "2")]),
            .head("HEAD shows the declared length mid-upload", "@e", [
                .header("Upload-Length", "5"), .absent("Upload-Defer-Length"), .header("Upload-Offset", "2"),
            ]),
            .patch("PATCH the rest", "@e", offset: 2, Array("cde".utf8), status: [204], checks: [.header("Upload-Offset", "5")]),
        ])
        let d = try await bed.finished(table.sessionId("d"))
        #expect(d.status == "COMPLETED" && d.sha256 == TusDigest.sha256Hex(Array("abcdef".utf8)), "\(d)")
        let e = try await bed.finished(table.sessionId("e"))
        #expect(e.status == "COMPLETED" && e.sha256 == TusDigest.sha256Hex(Array("abcde".utf8)), "\(e)")
    }

    @Test func terminationEndsTheUpload() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("create 8 bytes", "POST", "/files/", headers: ["Upload-Length": "8"], status: [201], capture: "a"),
            .patch("PATCH half", "@a", offset: 0, Array("abcd".utf8), status: [204], checks: [.header("Upload-Offset", "4")]),
            TusRow("DELETE", "DELETE", "@a", status: [204]),
            TusRow("HEAD after DELETE", "HEAD", "@a", status: [404, 410]),
            .patch("PATCH after DELETE", "@a", offset: 4, Array("efgh".utf8), status: [404, 410]),
        ])
    }

    @Test func concatenationJoinsFinishedPartials() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        let finalOfAB: TusCheck = .header("Upload-Concat", "is final; naming a then b") { value in
            guard value.hasPrefix("final;"), let a = value.range(of: table.sessionId("a")), let b = value.range(of: table.sessionId("b")) else {
                return false
            }
            return a.upperBound <= b.lowerBound
        }
        try await table.run([
            TusRow("POST a partial a of 5", "POST", "/files/", headers: ["Upload-Concat": "partial", "Upload-Length": "5"],
                   status: [201], checks: [.locationOfASession], capture: "a"),
            .head("HEAD echoes partial", "@a", [.header("Upload-Concat", "partial"), .header("Upload-Length", "5")]),
            TusRow("POST a partial b of 7", "POST", "/files/", headers: ["Upload-Concat": "partial", "Upload-Length": "7"],
                   status: [201], capture: "b"),
            .patch("PATCH a", "@a", offset: 0, Array("hello".utf8), status: [204], checks: [.header("Upload-Offset", "5")]),
            TusRow("a final naming the unfinished b", "POST", "/files/", headers: ["Upload-Concat": "final;{a} {b}"], status: [400]),
            .patch("PATCH b", "@b", offset: 0, Array(" world!".utf8), status: [204], checks: [.header("Upload-Offset", "7")]),
            TusRow("POST the final of a and b by path", "POST", "/files/", headers: ["Upload-Concat": "final;{a} {b}"],
                   status: [201], checks: [.locationOfASession], capture: "f"),
            .head("HEAD of the final", "@f", [.header("Upload-Length", "12"), .header("Upload-Offset", "12"), finalOfAB]),
            .patch("PATCH to a final", "@f", offset: 12, Array("x".utf8), status: [403]),

            TusRow("POST a partial c", "POST", "/files/", headers: ["Upload-Concat": "partial", "Upload-Length": "3"], status: [201], capture: "c"),
            TusRow("POST a partial d", "POST", "/files/", headers: ["Upload-Concat": "partial", "Upload-Length": "3"], status: [201], capture: "d"),
            .patch("PATCH c", "@c", offset: 0, Array("abc".utf8), status: [204], checks: [.header("Upload-Offset", "3")]),
            .patch("PATCH d", "@d", offset: 0, Array("def".utf8), status: [204], checks: [.header("Upload-Offset", "3")]),
            TusRow("POST the final of c and d by full URL", "POST", "/files/", headers: ["Upload-Concat": "final;{c.url} {d.url}"],
                   status: [201], checks: [.locationOfASession], capture: "g"),
            .head("HEAD of the second final", "@g", [
                .header("Upload-Length", "6"), .header("Upload-Offset", "6"), .header("Upload-Concat", "is final;…") { $0.hasPrefix("final;") },
            ]),
        ])
        let f = try await bed.finished(table.sessionId("f"))
        #expect(f.status == "COMPLETED" && f.sha256 == TusDigest.sha256Hex(Array("hello world!".utf8)), "the final's object is a||b: \(f)")
        let g = try await bed.finished(table.sessionId("g"))
        #expect(g.status == "COMPLETED" && g.sha256 == TusDigest.sha256Hex(Array("abcdef".utf8)), "the final's object is c||d: \(g)")
    }

    @Test func anOperatorsCancelAnswers410() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("create 6 bytes as alice", "POST", "/files/", headers: ["Upload-Length": "6"], auth: .user("alice"), status: [201], capture: "a"),
            .patch("PATCH half", "@a", offset: 0, Array("abc".utf8), auth: .user("alice"), status: [204], checks: [.header("Upload-Offset", "3")]),
        ])
        let cancelled = try await bed.controller.call(["action": "cancel", "sessionId": table.sessionId("a")])
        #expect((cancelled["session"] as? [String: Any])?["status"] as? String == "CANCELLED", "\(cancelled)")
        try await table.run([
            .patch("the next PATCH", "@a", offset: 3, Array("def".utf8), auth: .user("alice"), status: [410]),
            TusRow("HEAD of the cancelled upload", "HEAD", "@a", auth: .user("alice"), status: [410]),
        ])
    }

    @Test func theGroupMetadataPutsUploadsInOneGroup() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let table = TusTable(bed)
        try await table.run([
            TusRow("one.bin in batch-7", "POST", "/files/",
                   headers: ["Upload-Length": "1", "Upload-Metadata": TusDigest.metadata(["filename": "one.bin", "group": "batch-7"])],
                   status: [201], capture: "x"),
            TusRow("two.bin in batch-7", "POST", "/files/",
                   headers: ["Upload-Length": "1", "Upload-Metadata": TusDigest.metadata(["filename": "two.bin", "group": "batch-7"])],
                   status: [201], capture: "y"),
            TusRow("three.bin in other", "POST", "/files/",
                   headers: ["Upload-Length": "1", "Upload-Metadata": TusDigest.metadata(["filename": "three.bin", "group": "other"])],
                   status: [201], capture: "z"),
        ])
        let x = try await bed.status(table.sessionId("x")).session["groupId"] as? String
        let y = try await bed.status(table.sessionId("y")).session["groupId"] as? String
        let z = try await bed.status(table.sessionId("z")).session["groupId"] as? String
        #expect(x != nil && x == y, "one group for batch-7: \(x ?? "nil") and \(y ?? "nil")")
        #expect(z != nil && z != x, "another group for other: \(z ?? "nil")")
    }
}
