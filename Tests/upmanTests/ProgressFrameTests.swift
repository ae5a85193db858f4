import Dashboard
import NIOFileSystem
import Testing
@testable import UploadClient
import UploadModel
@testable import upman

/// `upman put`'s progress lines fit any terminal from 20 columns up, wide characters counted as
/// the terminal counts them, and the block is redrawn over exactly the rows it took.
@Suite struct ProgressFrameTests {
    static let names = [
        "a-rather-long-file-name-for-the-report.bin", "写真写真写真写真写真写真写真写真写真写真.jpg", "🎉🎉🎉 party 🎉🎉🎉🎉🎉.mp4",
        "evil\u{1B}]0;PWNED\u{07}\u{1B}[31m.txt", "e\u{301}tude-\u{9B}31m.txt", "x",
    ]

    func snapshot(activeCount: Int = 6) -> ProgressSnapshot {
        let files = Self.names.enumerated().map { index, name in
            FileProgress(sessionId: "ses_\(index)", name: name, size: Int64(index + 1) * 123_456_789, confirmedBytes: Int64(index) * 23_456_789,
                         partsDone: index, totalParts: 10_000, state: index == 5 ? .processing : .uploading)
        }
        return ProgressSnapshot(active: files, activeCount: activeCount, fileCount: 100_000, completedCount: 99_000,
                                confirmedBytes: 5_000_000_000_000, totalBytes: 5_400_000_000_000, sentBytes: 1 << 40,
                                speed: 123_456_789, eta: 98_765)
    }

    @Test func everyLineFitsEveryWidthAndHeight() {
        let outage = Outage(since: 0, attempt: 12, nextTry: 47, reason: "cannot reach the upman server at http://127.0.0.1:8080: connection refused",
                            gaveUp: false)
        for withOutage in [false, true] {
            let frame = ProgressFrame(snapshot: snapshot(activeCount: 40), outage: withOutage ? (outage, 4.2, 42.8) : nil, patience: 60)
            for width in Array(1...44) + Array(stride(from: 47, through: 220, by: 9)) {
                for height in [1, 2, 5, 30] {
                    let lines = frame.lines(width: width, height: height)
                    #expect(!lines.isEmpty && lines.count <= max(1, height - 1), "\(width)×\(height): \(lines.count) lines")
                    for line in lines {
                        #expect(TextWidth.of(line) <= max(1, width - 1), "\(width) columns: \(line)")
                        #expect(!line.unicodeScalars.contains(where: TerminalText.isControl), "\(line.debugDescription)")
                    }
                }
            }
        }
    }

    @Test func wideLinesKeepWhatMattersMost() {
        let frame = ProgressFrame(snapshot: snapshot(activeCount: 6), outage: nil, patience: nil)
        let wide = frame.lines(width: 120, height: 40)
        #expect(wide.count == 7)
        #expect(wide[0].contains("[") && wide[0].contains("parts 0/10000"))
        #expect(wide.last?.hasPrefix("total 99000/100000 files") == true)
        #expect(wide[3].contains("\\e]0;PWNED"), "control characters are shown, not sent: \(wide[3])")
        let narrow = frame.lines(width: 20, height: 40)
        #expect(narrow.allSatisfy { TextWidth.of($0) <= 19 })
        #expect(narrow[0].contains("%"), "a narrow line still says how far: \(narrow[0])")
    }

    @Test func aServerThatIsAwayIsShownAsWaiting() {
        let outage = Outage(since: 10, attempt: 3, nextTry: 20, reason: "cannot reach the upman server: connection refused", gaveUp: false)
        let frame = ProgressFrame(snapshot: snapshot(activeCount: 0), outage: (outage, 3.2, 6.8), patience: 60)
        let lines = frame.lines(width: 100, height: 10)
        #expect(lines.contains { $0.hasPrefix("waiting for the server (attempt 3, next in 4s)") && $0.contains("away 7s of 60s") })
        let empty = ProgressFrame(snapshot: ProgressTracker().snapshot(), outage: (outage, 3.2, 6.8), patience: 60).lines(width: 80, height: 10)
        #expect(empty.last == "total 0/0 files  0.0%  0 B / 0 B  0 B/s", "nothing known yet is not 100%")
    }

    @Test func theBlockIsClimbedRowForRowEvenAfterAResize() {
        var block = ProgressBlock()
        let first = block.frame(notes: [], lines: [String(repeating: "a", count: 59), String(repeating: "写", count: 15)], width: 60)
        #expect(first.hasPrefix("\r") && !first.contains("\u{1B}[J"))
        #expect(block.rows(at: 60) == 2)
        // A reflowing terminal shrunk to 20 columns rewraps 59 columns into 3 rows and 30 into 2.
        #expect(block.rows(at: 20) == 5)
        let second = block.frame(notes: ["file x: failed: gone"], lines: ["total"], width: 20)
        #expect(second.hasPrefix("\u{1B}[5F"))
        #expect(second.components(separatedBy: "\u{1B}[2K\n").count - 1 == 5 - 1 - 1, "left-over rows are blanked")
        #expect(!second.contains("\u{1B}[J"), "never an erase of the screen: tmux would move it into the scrollback")
        #expect(block.rows(at: 20) == 4)
    }

    @Test func resumeCommandsQuoteForAShell() {
        #expect(ShellWord.quote("/tmp/a-b_c.txt") == "/tmp/a-b_c.txt")
        #expect(ShellWord.quote("my file's.txt") == "'my file'\\''s.txt'")
        #expect(ShellWord.quote(Array("caf".utf8) + [0xE9]) == "$'caf\\xe9'")
        #expect(ShellWord.quote("a\u{1B}[31m") == "$'a\\x1b[31m'")
        let command = ResumeCommand(paths: [FilePath(bytes: Array("d ".utf8) + [0xFF])], flags: ["--server", "http://h:1"])
        #expect(command.text(resuming: "grp_1") == "upman put $'d \\xff' --server http://h:1 --resume grp_1")
    }
}
