import Foundation

/// `upman top --trace FILE`: one line per frame with what it cost, for benchmarks and for
/// finding out why a dashboard feels slow. Times are milliseconds.
///
///     first-frame <ms since the process started>
///     frame rows=<rows written> [key=<ms from reading the key to the frame on screen>]
///           [events=<n> event-ms=<ms from each event's commit stamp to the frame,...>
///            arrival-ms=<ms from each event's arrival from the feed to the frame,...>]
final class FrameTrace: @unchecked Sendable {
    private let handle: FileHandle
    private var first = true

    /// Opens (creates or truncates) the trace file.
    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CLIError("cannot write the trace file \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// Records a frame that just reached the terminal.
    func frame(rowsWritten: Int, keyReadAt: Date?, eventTimes: [Date], arrivalTimes: [Date] = []) {
        let now = Date()
        var line: String
        if first {
            first = false
            line = String(format: "first-frame %.1f\n", Self.sinceProcessStart() * 1000)
        } else {
            line = ""
        }
        line += "frame rows=\(rowsWritten)"
        if let keyReadAt { line += String(format: " key=%.2f", now.timeIntervalSince(keyReadAt) * 1000) }
        if !eventTimes.isEmpty {
            let latencies = eventTimes.map { max(0, now.timeIntervalSince($0) * 1000) }
            line += " events=\(eventTimes.count) event-ms=" + latencies.map { String(format: "%.1f", $0) }.joined(separator: ",")
            if !arrivalTimes.isEmpty {
                line += " arrival-ms=" + arrivalTimes.map { String(format: "%.1f", max(0, now.timeIntervalSince($0) * 1000)) }.joined(separator: ",")
            }
        }
        handle.write(Data((line + "\n").utf8))
    }

    /// Seconds since this process started (from /proc), or since the trace opened elsewhere.
    private static func sinceProcessStart() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let uptime = Double(uptimeText.split(separator: " ").first ?? "") else { return 0 }
        // Field 22 (starttime, clock ticks since boot) comes after the parenthesised command name.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return 0 }
        return uptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
