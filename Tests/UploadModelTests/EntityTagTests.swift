import Testing
@testable import UploadModel

/// Entity tags read and compare as RFC 9110 §8.8.3 says: the quotes delimit, they are not part
/// of the tag; weak tags and characters outside `etagc` are refused with a coded error.
@Suite struct EntityTagTests {
    let md5 = "9b2cf535f27731c974343645a3985328"

    @Test func quotedAndBareAreTheSameTag() throws {
        let quoted = try EntityTag.parse("\"\(md5)\"")
        let bare = try EntityTag.parse(md5)
        #expect(quoted == bare)
        #expect(quoted.opaque == md5 && bare.quoted == "\"\(md5)\"")
        #expect(EntityTag.same("\"\(md5)\"", md5))
        #expect(EntityTag.same(md5, "\"\(md5)\""))
        #expect(EntityTag.same("\"\(md5)-3\"", "\(md5)-3"))
        #expect(EntityTag.same("\"\"", "\"\""), "an empty opaque string is a tag")
    }

    @Test func comparisonIsCharacterByCharacter() {
        #expect(!EntityTag.same(md5, md5.uppercased()), "strong comparison is case-sensitive")
        #expect(!EntityTag.same("\"\(md5)\"", "\"\(md5)-1\""))
        #expect(!EntityTag.same(nil, nil) && !EntityTag.same(md5, nil) && !EntityTag.same(nil, md5))
        #expect(!EntityTag.same("W/\"\(md5)\"", "W/\"\(md5)\""), "weak tags never name the same bytes")
    }

    @Test func weakAndMalformedTagsAreRefusedWithACode() {
        for text in ["W/\"\(md5)\"", "W/\(md5)", "\"\(md5)", "\(md5)\"", "\"", "", "a b", "a\"b", "\"a\"b\"", "tab\there",
                     "nul\0", String(repeating: "a", count: EntityTag.maximumLength + 1)] {
            #expect(EntityTag(text) == nil, "\(text.debugDescription)")
            do {
                _ = try EntityTag.parse(text)
                Issue.record("\(text.debugDescription) was accepted")
            } catch {
                #expect(error.code == .invalidArgument, "\(text.debugDescription)")
                #expect(error.code.httpStatus == 422)
            }
        }
        let weak = #expect(throws: UploadError.self) { try EntityTag.parse("W/\"x\"") }
        #expect(weak?.message.contains("weak") == true)
    }

    @Test func visibleCharactersAndObsTextAreOpaque() throws {
        #expect(try EntityTag.parse("\"!#~\"").opaque == "!#~")
        #expect(try EntityTag.parse("\"ünï\"").opaque == "ünï")
        #expect(EntityTag(opaque: "x\"y") == nil)
        #expect(EntityTag(opaque: md5)?.quoted == "\"\(md5)\"")
    }
}
