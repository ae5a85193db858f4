import Foundation
import Testing

/// Compares rendered text with `Fixtures/screens/NAME.txt`. With UPMAN_UPDATE_SNAPSHOTS=1 the
/// file is (re)written instead, to be reviewed in the diff.
enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/screens")

    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent(name + ".txt")
        let rendered = text + "\n"
        if ProcessInfo.processInfo.environment["UPMAN_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try rendered.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.path); run with UPMAN_UPDATE_SNAPSHOTS=1 to write it", sourceLocation: sourceLocation)
            return
        }
        if expected != rendered {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("""
                \(name) differs from \(file.lastPathComponent) first at line \(line + 1):
                expected: \(line < a.count ? String(a[line]) : "<end>")
                rendered: \(line < b.count ? String(b[line]) : "<end>")
                --- rendered ---
                \(rendered)
                """, sourceLocation: sourceLocation)
        }
    }
}
