import Synchronization

/// Turns the `?` placeholders upman's SQL is written with into PostgreSQL's `$1, $2, …`, leaving
/// string literals and quoted names alone. Each text is translated once and remembered.
enum PostgresPlaceholders {
    private static let cache = Mutex<[String: String]>([:])

    /// `sql` with its placeholders numbered.
    static func numbered(_ sql: String) -> String {
        if let known = cache.withLock({ $0[sql] }) { return known }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                count += 1
                out += "$\(count)"
            } else {
                out.append(character)
            }
        }
        cache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[sql] = out
        }
        return out
    }
}
