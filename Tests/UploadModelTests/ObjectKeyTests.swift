import Testing
@testable import UploadModel

/// Storage keys never escape their prefix and never collide between users or sessions.
@Suite struct ObjectKeyTests {
    @Test func hostileNamesStayInside() {
        for name in ["../../etc/passwd", "/abs/path", "..", ".", "a\0b", "", "dir/../../x", String(repeating: "y", count: 5000)] {
            let key = ObjectKey.make(userId: "alice", groupId: "grp_1", sessionId: "ses_1", fileName: name)
            let segments = key.split(separator: "/", omittingEmptySubsequences: false)
            #expect(segments.count == 4, "\(key)")
            #expect(segments.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }, "\(key)")
            #expect(key.hasPrefix("alice/grp_1/ses_1/"))
            #expect(!key.contains("\0"))
            #expect(segments[3].count <= ObjectKey.maximumNameLength)
        }
    }

    @Test func hostileIdsAreNeutralised() {
        let key = ObjectKey.make(userId: "../bob", groupId: "g/h", sessionId: "s", fileName: "f")
        #expect(key.split(separator: "/").count == 4)
        #expect(key.split(separator: "/").allSatisfy { $0 != ".." && $0 != "." })
    }

    @Test func sameNameDifferentOwnersDiffer() {
        let a = ObjectKey.make(userId: "alice", groupId: "g", sessionId: "s1", fileName: "x.jpg")
        let b = ObjectKey.make(userId: "bob", groupId: "g", sessionId: "s1", fileName: "x.jpg")
        let c = ObjectKey.make(userId: "alice", groupId: "g", sessionId: "s2", fileName: "x.jpg")
        #expect(Set([a, b, c]).count == 3)
    }

    @Test func unicodeNamesBecomeSafeASCII() {
        let key = ObjectKey.make(userId: "u", groupId: "g", sessionId: "s", fileName: "写真 résumé.pdf")
        #expect(key.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(key.hasSuffix(".pdf"))
    }
}
