/// An HTTP entity tag as S3 and the disk store give a stored part or object: an opaque string
/// that names one version of the bytes (RFC 9110 §8.8.3).
///
/// The rule comes from RFC 9110 §8.8.3: `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE` with
/// `etagc = %x21 / %x23-7E / obs-text`. The quotes delimit the tag and are not part of it, so
/// `"9b2cf5…"` and `9b2cf5…` (as many S3 clients report a part's ETag, quotes stripped) are the
/// same tag; two tags are equal when their opaque strings match character by character (the
/// RFC's strong comparison, case-sensitive). A weak tag (`W/"…"`) only says two versions are
/// equivalent, never that they are the same bytes, so it is refused wherever a part's bytes are
/// named.
public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    /// The tag without its quotes, e.g. `9b2cf535f27731c974343645a3985328` or `…-3`.
    public let opaque: String

    /// The longest opaque string accepted, in UTF-8 bytes (S3's tags are at most 40 or so).
    public static let maximumLength = 1024

    /// A tag whose opaque string is `opaque` (no quotes). Nil when `opaque` holds a character an
    /// entity tag cannot hold (a double quote, a space, a control character) or is too long.
    public init?(opaque: String) {
        guard Self.isOpaque(opaque) else { return nil }
        self.opaque = opaque
    }

    /// Reads a tag written either way, `"x"` or `x`; nil when `text` is not a strong entity tag
    /// (weak, unbalanced quotes, characters outside `etagc`, too long). For values from storage
    /// and from the database, where a tag that does not read simply matches nothing.
    public init?(_ text: String) {
        guard let tag = try? Self.parse(text) else { return nil }
        self = tag
    }

    /// Reads a tag a client sent (`field` names it in the errors), `"x"` or `x`.
    ///
    /// - Throws: ``UploadError/Code/invalidArgument`` (422) for a weak tag (`W/"x"`), unbalanced
    ///   quotes, an empty text, a character outside RFC 9110's `etagc`, or more than
    ///   ``maximumLength`` bytes.
    public static func parse(_ text: String, field: String = "etag") throws(UploadError) -> EntityTag {
        guard !text.isEmpty else { throw UploadError(.invalidArgument, "\(field) is empty") }
        if text.hasPrefix("W/") {
            throw UploadError(.invalidArgument,
                              "\(field) \(text.debugDescription) is a weak entity tag; a part's bytes are named by a strong one, without W/ (RFC 9110 §8.8.3)")
        }
        var body = Substring(text)
        let opens = body.hasPrefix("\"")
        let closes = body.count >= 2 && body.hasSuffix("\"")
        if opens || body.hasSuffix("\"") {
            guard opens && closes else {
                throw UploadError(.invalidArgument, "\(field) \(text.debugDescription) has unbalanced quotes (RFC 9110 §8.8.3)")
            }
            body = body.dropFirst().dropLast()
        }
        guard let tag = EntityTag(opaque: String(body)) else {
            throw UploadError(.invalidArgument,
                              "\(field) \(text.debugDescription) is not an entity tag: at most \(maximumLength) bytes of visible characters other than '\"' (RFC 9110 §8.8.3)")
        }
        return tag
    }

    /// Whether two tags written either way (quoted or not) are the same tag; false when either
    /// is missing or does not read as a strong tag.
    public static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b, let x = EntityTag(a), let y = EntityTag(b) else { return false }
        return x == y
    }

    /// The tag as HTTP and S3 write it, in double quotes: `"x"`.
    public var quoted: String { "\"" + opaque + "\"" }

    /// The quoted form.
    public var description: String { quoted }

    /// `etagc` of RFC 9110 §8.8.3 (`%x21 / %x23-7E / obs-text`); non-ASCII characters are
    /// obs-text once encoded as UTF-8.
    private static func isOpaque(_ text: String) -> Bool {
        guard text.utf8.count <= maximumLength else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.value == 0x21 || (0x23...0x7E).contains(scalar.value) || scalar.value >= 0x80
        }
    }
}
