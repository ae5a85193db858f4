import Testing
@testable import UploadModel

/// Text from users never reaches a terminal as a control sequence.
@Suite struct TerminalTextTests {
    @Test func controlsBecomeVisibleEscapes() {
        #expect(TerminalText.escaped("x\u{1B}]0;PWNED\u{07}") == "x\\e]0;PWNED\\x07")
        #expect(TerminalText.escaped("a\tb\r\nc") == "a\\tb\\r\\nc")
        #expect(TerminalText.escaped("del\u{7F}") == "del\\x7F")
        #expect(TerminalText.escaped("csi\u{9B}31m") == "csi\\u{9B}31m")
        #expect(TerminalText.escaped("nul\u{0}") == "nul\\x00")
    }

    @Test func printableTextIsUntouched() {
        for text in ["plain", "café 東京 🎉", "back\\slash", "e\u{301}", "\u{A0}nbsp"] {
            #expect(TerminalText.escaped(text) == text)
        }
    }

    @Test func newlinesCanBeKeptForMultiLineViews() {
        #expect(TerminalText.escaped("one\ntwo\u{1B}[2J", keepingNewlines: true) == "one\ntwo\\e[2J")
    }

    @Test func noControlSurvivesAnyInput() {
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<500 {
            let scalars = (0..<20).map { _ in Unicode.Scalar(UInt8.random(in: 0...0xFF, using: &generator)) }
            let text = String(String.UnicodeScalarView(scalars))
            #expect(!TerminalText.escaped(text).unicodeScalars.contains(where: TerminalText.isControl))
        }
    }
}
