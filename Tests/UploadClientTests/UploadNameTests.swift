import Testing
import UploadClient
import UploadModel

/// File names are bytes: the name sent to the server keeps every one of them, and people see
/// U+FFFD where they do not decode.
@Suite struct UploadNameTests {
    /// `%XX` back to bytes, the rest as UTF-8: the inverse of `encoded` for names that needed escapes.
    func decoded(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var utf8 = Array(name.utf8)[...]
        while let first = utf8.first {
            if first == UInt8(ascii: "%"), utf8.count >= 3, let byte = UInt8(String(decoding: utf8.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(byte)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(first)
                utf8 = utf8.dropFirst()
            }
        }
        return bytes
    }

    @Test func utf8NamesAreSentAsTheyAre() {
        for name in ["a.txt", "dir/my file é 写真 (1).txt", "100%.txt", "🎉.mp4", ""] {
            #expect(UploadName.encoded(Array(name.utf8)) == name)
            #expect(UploadName.display(Array(name.utf8)) == name)
        }
    }

    @Test func bytesThatAreNotUTF8AreEscapedAndShownAsReplacementCharacters() {
        let latin1 = Array("docs/caf".utf8) + [0xE9] + Array(".txt".utf8)
        #expect(UploadName.encoded(latin1) == "docs/caf%E9.txt")
        #expect(UploadName.display(latin1) == "docs/caf\u{FFFD}.txt")
        let mixed = Array("50%-".utf8) + [0xFF, 0xFE] + Array("é".utf8) + [0xC3]
        #expect(UploadName.encoded(mixed) == "50%25-%FF%FEé%C3")
        #expect(decoded(UploadName.encoded(mixed)) == mixed)
    }

    /// Any bytes at all: valid UTF-8 goes through unchanged, anything else comes back exactly, and
    /// two different names never share one encoded name (among names that needed escapes).
    @Test func everyNameMapsBackToItsBytes() {
        var rng = SeededGenerator(seed: 9)
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<5_000 {
            let length = Int.random(in: 1...12, using: &rng)
            let bytes = (0..<length).map { _ in
                UInt8.random(in: 0...9, using: &rng) < 3 ? UInt8.random(in: 0x80...0xFF, using: &rng) : UInt8.random(in: 0x20...0x7E, using: &rng)
            }
            let encoded = UploadName.encoded(bytes)
            #expect(encoded.utf8.allSatisfy { $0 != 0 })
            if let text = String(validating: bytes, as: UTF8.self) {
                #expect(encoded == text)
                continue
            }
            #expect(decoded(encoded) == bytes, "\(bytes) → \(encoded)")
            if let other = seen[encoded] { #expect(other == bytes) }
            seen[encoded] = bytes
        }
    }
}
