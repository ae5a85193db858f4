import Foundation

/// Tells a file's real media type from its first bytes (magic numbers).
public enum ContentSniffer {
    /// The media type `bytes` (a file's start) reveal; `application/octet-stream` when unknown,
    /// `text/plain` for UTF-8 text without NUL.
    public static func mediaType(of bytes: [UInt8]) -> String {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<(offset + magic.count)]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        if starts([0x1F, 0x8B]) { return "application/gzip" }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return "application/zstd" }
        if starts(Array("BZh".utf8)) { return "application/x-bzip2" }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "application/x-xz" }
        if starts(Array("ustar".utf8), at: 257) { return "application/x-tar" }
        if starts(Array("ftyp".utf8), at: 4) { return "video/mp4" }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return "video/webm" }
        if starts(Array("OggS".utf8)) { return "audio/ogg" }
        if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) { return "audio/mpeg" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "application/x-elf" }
        if starts(Array("SQLite format 3\0".utf8)) { return "application/vnd.sqlite3" }
        if starts([0x76, 0x2F, 0x31, 0x01]) { return "image/x-exr" }
        if bytes.isEmpty { return "application/x-empty" }
        if !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil || isTruncatedUTF8(bytes) {
            let text = String(decoding: bytes.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("{") || text.hasPrefix("[") { return "application/json" }
            if text.lowercased().hasPrefix("<!doctype html") || text.lowercased().hasPrefix("<html") { return "text/html" }
            if text.hasPrefix("<?xml") { return "application/xml" }
            return "text/plain"
        }
        return "application/octet-stream"
    }

    /// Whether `bytes` is valid UTF-8 but for a sequence cut off at the end.
    private static func isTruncatedUTF8(_ bytes: [UInt8]) -> Bool {
        for cut in 1...3 where bytes.count > cut {
            if String(validating: bytes.dropLast(cut), as: UTF8.self) != nil { return true }
        }
        return false
    }
}
