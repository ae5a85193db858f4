import Crypto
import Foundation
import UploadModel

/// AWS Signature Version 4: the `Authorization` header of a request, or a presigned URL's query.
///
/// Paths are passed already encoded (``encodePath(_:)``: each segment URI-encoded, `/` kept, as
/// S3 wants, with no normalisation); query names and values are passed raw and encoded here.
public struct SigV4Signer: Sendable {
    /// Who signs.
    public let credentials: S3Credentials
    /// The region in the credential scope, e.g. `us-east-1`.
    public let region: String
    /// The service in the credential scope, `s3` for S3.
    public let service: String

    /// SHA-256 of the empty body, hex.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash presigned URLs use.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Creates a signer.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The pieces of one signature, kept for tests and debugging.
    public struct Signature: Sendable, Hashable {
        /// The canonical request that was hashed.
        public var canonicalRequest: String
        /// The string that was signed.
        public var stringToSign: String
        /// `host;x-amz-date;…`.
        public var signedHeaders: String
        /// The hex signature.
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    /// Signs a request whose headers (including `host` and `x-amz-date`) are all to be signed.
    public func sign(
        method: String, encodedPath: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, date: Date
    ) -> Signature {
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            method, encodedPath, Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let (stringToSign, signature) = signatureOf(canonicalRequest: canonicalRequest, date: date)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(date)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
            signature: signature, authorization: authorization)
    }

    /// The query of a presigned URL (the request's own parameters plus the `X-Amz-*` ones and
    /// `X-Amz-Signature`), signing only the `host` header and an unsigned payload.
    public func presignedQuery(
        method: String, encodedPath: String, host: String, query: [(String, String)], expires: Int, date: Date
    ) -> [(String, String)] {
        var items = query
        items.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        items.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(date))"))
        items.append(("X-Amz-Date", Self.amzDate(date)))
        items.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { items.append(("X-Amz-Security-Token", token)) }
        items.append(("X-Amz-SignedHeaders", "host"))
        let signed = sign(
            method: method, encodedPath: encodedPath, query: items, headers: [("host", host)],
            payloadHash: Self.unsignedPayload, date: date)
        items.append(("X-Amz-Signature", signed.signature))
        return items
    }

    /// `20150830/us-east-1/service/aws4_request`.
    public func scope(_ date: Date) -> String {
        "\(Self.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    private func signatureOf(canonicalRequest: String, date: Date) -> (String, String) {
        let stringToSign = [
            "AWS4-HMAC-SHA256", Self.amzDate(date), scope(date), Hex.lowercase(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [Self.dateStamp(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        return (stringToSign, signature)
    }

    // MARK: Canonical forms

    /// Lower-cased names sorted, values trimmed with inner runs of spaces collapsed, repeated
    /// names joined by commas; returns the header block (with its trailing newline) and the names.
    static func canonicalHeaders(_ headers: [(String, String)]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// Names and values encoded, sorted by name then value, joined with `&`.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (encode($0.0), encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// The query as it goes on the wire (same encoding as signed).
    public static func queryString(_ query: [(String, String)]) -> String {
        query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// URI-encodes every byte but the unreserved `A-Z a-z 0-9 - . _ ~` (and `/` when `keepSlash`),
    /// with upper-case hex, as SigV4 requires.
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// An S3 canonical path: `/` then the key with each segment encoded and every `/` kept.
    public static func encodePath(_ path: String) -> String {
        let encoded = encode(path, keepSlash: true)
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        format(date, "%04d%02d%02dT%02d%02d%02dZ", time: true)
    }

    /// `20150830`.
    static func dateStamp(_ date: Date) -> String {
        format(date, "%04d%02d%02d", time: false)
    }

    private static func format(_ date: Date, _ pattern: String, time: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if time {
            return String(format: pattern, parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
        }
        return String(format: pattern, parts.year!, parts.month!, parts.day!)
    }
}
