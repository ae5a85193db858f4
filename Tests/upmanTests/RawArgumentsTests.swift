import NIOFileSystem
import Testing
import UploadClient
@testable import upman

/// Paths from the command line keep the bytes the shell passed, even where they are not UTF-8.
@Suite struct RawArgumentsTests {
    @Test func pathsKeepTheBytesTheShellPassed() {
        let raw: [[UInt8]] = [Array("put".utf8), Array("caf".utf8) + [0xE9], Array("plain".utf8), Array("x".utf8) + [0xFF]]
        let paths = RawArguments.locations(for: ["caf\u{FFFD}", "plain", "x\u{FFFD}", "missing"], raw: raw)
        #expect(paths.map(\.bytes) == [raw[1], raw[2], raw[3], Array("missing".utf8)])
    }
}
