import Dashboard
import Foundation
import UploadClient
import UploadModel

/// The lines of `upman put`'s progress display at one moment, laid out for a terminal of a given
/// size: each at most `width - 1` columns as the terminal counts them (wide characters two, see
/// `TextWidth`), so no line ever wraps, and at most `height - 1` lines. Names are escaped with
/// `TerminalText.escaped`. Pure: no terminal is touched.
struct ProgressFrame {
    /// The run's progress.
    var snapshot: ProgressSnapshot
    /// The server's absence, if it is away: the outage, the seconds until its next round and since it began.
    var outage: (outage: Outage, nextIn: Double, away: Double)?
    /// The patience in seconds, for the waiting line.
    var patience: Double?

    /// The lines for a terminal of `width` columns and `height` rows, files first, then the line
    /// about a server that is away, then the total.
    func lines(width: Int, height: Int) -> [String] {
        let usable = max(1, width - 1)
        var bottom: [String] = []
        if let outage {
            bottom.append(Self.waitingLine(outage.outage, nextIn: outage.nextIn, away: outage.away, patience: patience, width: usable))
        }
        bottom.append(Self.totalLine(snapshot, width: usable))
        let room = max(1, height - 1)
        guard room > bottom.count else { return Array(bottom.suffix(room)) }
        var files = snapshot.active.map { Self.fileLine($0, width: usable) }
        if snapshot.activeCount > files.count {
            files.append(Self.fit(["  … and \(snapshot.activeCount - files.count) more"], width: usable))
        }
        return Array(files.prefix(room - bottom.count)) + bottom
    }

    /// One file: name, bar, share, bytes and parts, leaving out the less important pieces first
    /// when the width is short.
    static func fileLine(_ file: FileProgress, width: Int) -> String {
        let fraction = file.size > 0 ? Double(file.confirmedBytes) / Double(file.size) : (file.state == .completed ? 1 : 0)
        let percent = String(format: "%5.1f%%", fraction * 100)
        let bytes = "\(ByteFormat.size(file.confirmedBytes))/\(ByteFormat.size(file.size))"
        let state = file.state == .processing ? "processing" : "parts \(file.partsDone)/\(file.totalParts)"
        let name = TerminalText.escaped(file.name)
        let layouts: [(bar: Int, extras: [String])] = [
            (20, [percent, bytes, state]), (10, [percent, bytes, state]), (10, [percent, bytes]), (10, [percent]),
            (0, [percent]), (0, []),
        ]
        for layout in layouts {
            var tail = ""
            if layout.bar > 0 {
                let filled = Int(fraction * Double(layout.bar))
                tail += " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: layout.bar - filled) + "]"
            }
            if !layout.extras.isEmpty { tail += " " + layout.extras.joined(separator: "  ") }
            let room = width - 2 - TextWidth.of(tail)
            guard room >= min(TextWidth.of(name), 8) else { continue }
            return "  " + fitName(name, to: min(28, room)) + tail
        }
        return TextWidth.truncate("  " + name, to: width)
    }

    /// The total: files, share, bytes, speed and ETA, as many as fit.
    static func totalLine(_ snapshot: ProgressSnapshot, width: Int) -> String {
        var pieces = [
            "total \(snapshot.completedCount)/\(snapshot.fileCount) files",
            String(format: "%5.1f%%", snapshot.fraction * 100).trimmingCharacters(in: .whitespaces),
            "\(ByteFormat.size(snapshot.confirmedBytes)) / \(ByteFormat.size(snapshot.totalBytes))",
            "\(ByteFormat.size(Int64(snapshot.speed)))/s",
        ]
        if let eta = snapshot.eta, snapshot.confirmedBytes < snapshot.totalBytes { pieces.append("ETA \(ByteFormat.duration(eta))") }
        return fit(pieces, width: width)
    }

    /// "waiting for the server (attempt N, next in Xs)", how long it has been away, and why.
    static func waitingLine(_ outage: Outage, nextIn: Double, away seconds: Double, patience: Double?, width: Int) -> String {
        let away = Int(seconds.rounded())
        var pieces: [String]
        if outage.gaveUp {
            pieces = ["the server stayed away \(away)s: giving up"]
        } else {
            pieces = ["waiting for the server (attempt \(outage.attempt), next in \(Int(nextIn.rounded(.up)))s)"]
            pieces.append(patience.map { "away \(away)s of \(Int($0.rounded()))s" } ?? "away \(away)s")
        }
        pieces.append(TerminalText.escaped(outage.reason))
        return fit(pieces, width: width)
    }

    /// The pieces joined by two spaces, as many as fit in `width` columns; the first cut with `…`
    /// when even it does not.
    static func fit(_ pieces: [String], width: Int) -> String {
        var line = ""
        for piece in pieces {
            let next = line.isEmpty ? piece : line + "  " + piece
            guard TextWidth.of(next) <= width else { break }
            line = next
        }
        return line.isEmpty ? TextWidth.truncate(pieces.first ?? "", to: width) : line
    }

    /// `name` in exactly `width` columns: padded, or its end kept behind a leading `…`.
    static func fitName(_ name: String, to width: Int) -> String {
        let columns = TextWidth.of(name)
        if columns <= width { return name + String(repeating: " ", count: width - columns) }
        guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
        var kept: [Character] = []
        var used = 0
        for character in name.reversed() {
            let w = TextWidth.of(character)
            if used + w > width - 1 { break }
            kept.append(character)
            used += w
        }
        return "…" + String(kept.reversed()) + String(repeating: " ", count: width - 1 - used)
    }
}
