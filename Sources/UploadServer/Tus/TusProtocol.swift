import Foundation
import HTTPTypes

/// The names and values of tus 1.0.0 (tus.io/protocols/resumable-upload): its version, the
/// extensions upman speaks, the checksum algorithms it takes and the header fields it uses.
enum TusProtocol {
    /// The one protocol version spoken (`Tus-Resumable`, `Tus-Version`).
    static let version = "1.0.0"
    /// The extensions upman implements, as `Tus-Extension` lists them.
    static let extensions = [
        "creation", "creation-with-upload", "creation-defer-length", "termination", "checksum", "expiration", "concatenation",
    ]
    /// The media type of a PATCH body (and of a creation-with-upload POST body).
    static let offsetOctetStream = "application/offset+octet-stream"

    /// `Tus-Resumable`: the version a request or response speaks.
    static let resumable = HTTPField.Name("Tus-Resumable")!
    /// `Tus-Version`: the versions the server speaks.
    static let versionField = HTTPField.Name("Tus-Version")!
    /// `Tus-Extension`.
    static let extensionField = HTTPField.Name("Tus-Extension")!
    /// `Tus-Max-Size`: the largest upload, in bytes.
    static let maxSize = HTTPField.Name("Tus-Max-Size")!
    /// `Tus-Checksum-Algorithm`.
    static let checksumAlgorithm = HTTPField.Name("Tus-Checksum-Algorithm")!
    /// `Upload-Offset`: bytes received (durably) so far.
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    /// `Upload-Length`: the upload's size in bytes.
    static let uploadLength = HTTPField.Name("Upload-Length")!
    /// `Upload-Defer-Length: 1`: the size is not known yet.
    static let uploadDeferLength = HTTPField.Name("Upload-Defer-Length")!
    /// `Upload-Metadata`.
    static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
    /// `Upload-Expires`: when an unfinished upload is dropped (RFC 9110 date).
    static let uploadExpires = HTTPField.Name("Upload-Expires")!
    /// `Upload-Checksum: ALGORITHM BASE64`: the checksum of a PATCH body.
    static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
    /// `Upload-Concat: partial` or `final;URL URL…`.
    static let uploadConcat = HTTPField.Name("Upload-Concat")!
    /// `X-HTTP-Method-Override`: PATCH or DELETE sent as POST where a proxy allows no other method.
    static let methodOverride = HTTPField.Name("X-HTTP-Method-Override")!

    /// The header fields a browser page on another origin sends and may read (for CORS).
    static let requestFields = [
        "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Defer-Length", "Upload-Concat",
        "Upload-Checksum", "X-HTTP-Method-Override",
    ]
    /// The header fields of tus answers a page may read (for CORS).
    static let responseFields = [
        "Location", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm",
        "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Defer-Length", "Upload-Concat", "Upload-Expires",
    ]

    /// A date as HTTP writes it (RFC 9110 §5.6.7 IMF-fixdate), for `Upload-Expires`.
    static func httpDate(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .padded(4)) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT")!, calendar: Calendar(identifier: .gregorian)))
    }
}
