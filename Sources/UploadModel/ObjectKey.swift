/// Derives storage keys that cannot escape their prefix or collide between users or sessions.
public enum ObjectKey {
    /// The longest file-name tail kept in a key.
    public static let maximumNameLength = 128

    /// `userId/groupId/sessionId/name`, where every segment keeps only `[A-Za-z0-9._-]` (others
    /// become `_`), never is `.` or `..`, and the name is cut to ``maximumNameLength``.
    public static func make(userId: String, groupId: String, sessionId: String, fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        return [userId, groupId, sessionId, String(safe(base).prefix(maximumNameLength))]
            .map(safe).joined(separator: "/")
    }

    /// One key segment with only safe characters, never empty, `.` or `..`.
    public static func safe(_ segment: String) -> String {
        var out = ""
        for scalar in segment.unicodeScalars {
            let ok = scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "_" + out }
        return out
    }
}
