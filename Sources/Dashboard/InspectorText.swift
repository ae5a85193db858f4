import Foundation
import UploadModel

/// The inspector's text, built from an ``Inspection`` alone (pure): every field, timestamps in
/// a time zone with their ages, the whole error and output wrapped, and the history with who
/// acted. Lines are already wrapped to `width`.
enum InspectorText {
    /// One line: its text and style.
    struct Line: Equatable {
        /// The text, at most `width` columns.
        var text: String
        /// The style.
        var style: Style
    }

    /// The title of the inspector's box.
    static func title(_ inspection: Inspection, target: InspectTarget) -> String {
        switch inspection.entity {
        case .group(let group): "Group \(group.name)"
        case .session(let session): "File \(session.fileName)"
        case .part(let part): "Part \(part.partNumber) of \(inspection.fileName ?? part.sessionId)"
        case .job(let job): "Job \(job.kind) of \(inspection.fileName ?? job.sessionId)"
        case nil: "Gone"
        }
    }

    /// Every line, wrapped to `width` columns; `history` is the entries of `inspection.history`
    /// when the caller keeps them (they are decoded from the events' JSON otherwise).
    static func lines(_ inspection: Inspection, now: Date, timeZone: TimeZone, width: Int,
                      history: [HistoryEntry]? = nil) -> [Line] {
        var out: [Line] = []
        let long = formatter("yyyy-MM-dd HH:mm:ss.SSS xxx", timeZone)
        let short = formatter("MM-dd HH:mm:ss.SSS", timeZone)
        let labelWidth = 16
        let valueWidth = max(10, width - labelWidth)
        func field(_ label: String, _ value: String?, _ style: Style = .normal) {
            guard let value, !value.isEmpty else { return }
            let pieces = wrap(value, width: valueWidth)
            for (index, piece) in pieces.enumerated() {
                let head = index == 0 ? TextWidth.fit(label, to: labelWidth - 1) + " " : String(repeating: " ", count: labelWidth)
                out.append(Line(text: head + piece, style: style))
            }
        }
        func time(_ label: String, _ date: Date?) {
            field(label, date.map { stamp($0, now: now, formatter: long) })
        }
        func section(_ name: String) {
            out.append(Line(text: "", style: .normal))
            out.append(Line(text: name, style: .title))
        }
        func error(_ detail: ErrorDetail?) {
            guard let detail else { return }
            field("error", "\(detail.code): \(detail.message)", .error)
        }
        switch inspection.entity {
        case nil:
            out.append(Line(text: "It no longer exists (deleted). Its history follows.", style: .dim))
        case .group(let group):
            field("id", group.id)
            field("name", group.name)
            field("description", group.description)
            field("user", group.userId)
            field("status", group.status.rawValue, Style.forStatus(group.status.rawValue))
            field("files", "\(Format.count(group.completedFiles)) completed, \(Format.count(group.failedFiles)) failed, "
                + "\(Format.count(group.totalFiles)) started" + (group.expectedFiles.map { " of \(Format.count($0)) announced" } ?? ""))
            field("bytes", "\(Format.bytes(group.bytesUploaded)) of \(Format.bytes(group.plannedBytes)) (\(group.bytesUploaded) of \(group.plannedBytes))")
            error(group.error)
            time("created", group.createdAt)
            time("updated", group.updatedAt)
            time("last activity", group.lastActivityAt)
            field("last acted by", group.actedBy)
        case .session(let session):
            field("id", session.id)
            field("file", session.fileName)
            field("group", inspection.groupName.map { "\($0) (\(session.groupId))" } ?? session.groupId)
            field("user", session.userId)
            field("status", session.status.rawValue, Style.forStatus(session.status.rawValue))
            error(session.error)
            field("size", "\(Format.bytes(session.size)) (\(session.size) bytes)")
            field("content type", session.contentType)
            field("method", "\(session.method.rawValue), part size \(Format.bytes(session.partSize))")
            field("parts", "\(Format.count(session.completedParts)) of \(Format.count(session.totalParts)) uploaded")
            field("uploaded", "\(Format.bytes(session.bytesUploaded)) (\(session.bytesUploaded) bytes)")
            field("attempts", String(session.attempts))
            field("checksum", session.checksum.map { "\($0.algorithm) \($0.value)" })
            field("sha256 declared", session.sha256)
            field("sha256 received", session.receivedSHA256)
            field("object key", session.objectKey)
            field("storage", inspection.storage)
            if session.status == .completed, let storage = inspection.storage, storage.hasPrefix("disk ") {
                field("stored at", String(storage.dropFirst(5)) + "/" + session.objectKey)
            }
            field("upload id", session.uploadId)
            time("created", session.createdAt)
            time("updated", session.updatedAt)
            time("uploaded", session.uploadedAt)
            time("completed", session.completedAt)
            time("last activity", session.lastActivityAt)
            field("last acted by", session.actedBy)
        case .part(let part):
            field("id", part.id)
            field("file", inspection.fileName)
            field("group", inspection.groupName)
            field("number", String(part.partNumber))
            field("range", "bytes \(part.offset)–\(part.offset + part.size - 1) (\(Format.bytes(part.size)))")
            field("status", part.status.rawValue, Style.forStatus(part.status.rawValue))
            error(part.error)
            field("attempts", String(part.attempts))
            field("etag", part.etag)
            field("checksum", part.checksum.map { "crc32c \($0)" })
            field("object key", inspection.objectKey)
            field("storage", inspection.storage)
            time("created", part.createdAt)
            time("updated", part.updatedAt)
            time("uploaded", part.uploadedAt)
            field("last acted by", part.actedBy)
        case .job(let job):
            field("id", job.id)
            field("kind", job.kind)
            field("file", inspection.fileName)
            field("group", inspection.groupName)
            field("status", job.status.rawValue, Style.forStatus(job.status.rawValue))
            error(job.error)
            field("attempts", "\(job.attempts) of \(job.maxAttempts)")
            field("position", String(job.position))
            time("created", job.createdAt)
            time("run after", job.runAfter)
            time("started", job.startedAt)
            time("finished", job.finishedAt)
            if let start = job.startedAt {
                field("took", Format.clock((job.finishedAt ?? now).timeIntervalSince(start)) + (job.finishedAt == nil ? " so far" : ""))
            }
            time("updated", job.updatedAt)
            field("last acted by", job.actedBy)
        }
        section("History (newest last; who acted)")
        let entries = history ?? HistoryEntry.entries(inspection.history)
        if entries.isEmpty { out.append(Line(text: "(no events kept)", style: .dim)) }
        for entry in entries {
            let change = entry.before.map { $0 == entry.after ? entry.after : "\($0) → \(entry.after)" } ?? entry.after
            var text = "\(short.string(from: entry.time))  \(change)"
            if entry.count > 1 { text += " (\(entry.count) changes)" }
            text += "  by \(entry.actedBy)"
            for piece in wrap(text, width: width) {
                out.append(Line(text: piece, style: entry.after == "deleted" || entry.after == "FAILED" ? .error : .normal))
            }
        }
        if case .job(let job) = inspection.entity {
            let output = job.output ?? ""
            out.append(Line(text: "", style: .normal))
            out.append(Line(text: "Output", style: .title))
            if output.isEmpty {
                out.append(Line(text: "(none)", style: .dim))
            } else {
                for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
                    for piece in wrap(String(raw), width: width) { out.append(Line(text: piece, style: .normal)) }
                }
            }
        }
        return out
    }

    /// `2026-11-30 15:04:05.123 +01:00 (3m ago)`.
    static func stamp(_ date: Date, now: Date, formatter: DateFormatter) -> String {
        let seconds = now.timeIntervalSince(date)
        let age = seconds >= 0 ? "\(Format.duration(seconds)) ago" : "in \(Format.duration(-seconds))"
        return "\(formatter.string(from: date)) (\(age))"
    }

    /// A formatter for a fixed pattern in a time zone.
    static func formatter(_ pattern: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter
    }

    /// Words of `text` in lines of at most `width` columns; a word longer than a line is cut
    /// across lines, so nothing is lost.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        let text = TerminalText.escaped(text)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            var wordWidth = TextWidth.of(word)
            if currentWidth > 0 && currentWidth + 1 + wordWidth > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            while wordWidth > width {
                let head = TextWidth.prefix(word, width: width - (currentWidth > 0 ? currentWidth + 1 : 0))
                if head.isEmpty { lines.append(current); current = ""; currentWidth = 0; continue }
                lines.append(currentWidth > 0 ? current + " " + head : head)
                current = ""
                currentWidth = 0
                word = String(word.dropFirst(head.count))
                wordWidth = TextWidth.of(word)
            }
            if currentWidth > 0 {
                current += " " + word
                currentWidth += 1 + wordWidth
            } else {
                current = word
                currentWidth = wordWidth
            }
        }
        lines.append(current)
        return lines
    }
}
