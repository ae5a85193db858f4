import Crypto
import Foundation
import Testing
import UploadModel
@testable import ObjectStorage

/// The signer against AWS's published vectors: the aws-sig-v4-test-suite (AKIDEXAMPLE, us-east-1,
/// service "service", 2015-08-30T12:36:00Z) and the S3 examples of the S3 API reference.
@Suite struct SigV4SignerTests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160) // 20150830T123600Z
    static let suite = SigV4Signer(
        credentials: S3Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "

    /// One suite case: the raw path and query, extra headers, body, and the published Authorization.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [(String, String)]
        let headers: [(String, String)]
        let body: String
        let authorization: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "get-vanilla", method: "GET", path: "/", query: [], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Case(name: "get-vanilla-query-order-key-case", method: "GET", path: "/",
             query: [("Param2", "value2"), ("Param1", "value1")], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Case(name: "get-vanilla-query-unreserved", method: "GET", path: "/",
             query: [("-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        Case(name: "get-vanilla-utf8-query", method: "GET", path: "/", query: [("\u{1234}", "bar")], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Case(name: "get-unreserved", method: "GET", path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
             query: [], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Case(name: "get-utf8", method: "GET", path: "/\u{1234}", query: [], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        Case(name: "get-space", method: "GET", path: "/example space/", query: [], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        Case(name: "get-header-value-trim", method: "GET", path: "/", query: [],
             headers: [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")], body: "",
             authorization: scope + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Case(name: "post-vanilla", method: "POST", path: "/", query: [], headers: [], body: "",
             authorization: scope + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Case(name: "post-x-www-form-urlencoded", method: "POST", path: "/", query: [],
             headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1",
             authorization: scope + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ]

    @Test(arguments: cases) func publishedSuiteVector(_ vector: Case) {
        let headers = vector.headers + [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]
        let payload = Hex.lowercase(SHA256.hash(data: Data(vector.body.utf8)))
        let signed = Self.suite.sign(
            method: vector.method, encodedPath: SigV4Signer.encodePath(vector.path), query: vector.query,
            headers: headers, payloadHash: payload, date: Self.suiteDate)
        #expect(signed.authorization == vector.authorization, "\(vector.name)\n\(signed.canonicalRequest)")
    }

    @Test func getSpaceCanonicalRequestEncodesTheSpace() {
        let signed = Self.suite.sign(
            method: "GET", encodedPath: SigV4Signer.encodePath("/example space/"), query: [],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.suiteDate)
        #expect(signed.canonicalRequest == "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + SigV4Signer.emptyPayloadHash)
    }

    @Test func sessionTokenIsSigned() {
        let signer = SigV4Signer(credentials: S3Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"), region: "us-east-1", service: "service")
        let signed = signer.sign(
            method: "GET", encodedPath: "/", query: [],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
                      ("X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.suiteDate)
        #expect(signed.authorization == Self.scope + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
    }

    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600) // 20130524T000000Z
    static let s3Credentials = S3Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    /// The S3 reference's "GET Object" example signed with an Authorization header.
    @Test func s3GetObjectHeaderExample() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1")
        let signed = signer.sign(
            method: "GET", encodedPath: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                      ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash), ("x-amz-date", "20130524T000000Z")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.s3Date)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The S3 reference's presigned URL example: GET /test.txt of examplebucket, 86,400 s.
    @Test func s3PresignedURLExample() throws {
        let storage = S3Storage(
            configuration: S3Configuration(endpoint: URL(string: "https://s3.amazonaws.com")!, bucket: "examplebucket",
                                           region: "us-east-1", pathStyle: false, credentials: Self.s3Credentials),
            now: { Self.s3Date })
        let url = storage.presign("GET", key: "test.txt", expiresAt: Self.s3Date.addingTimeInterval(86_400))
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(components.host == "examplebucket.s3.amazonaws.com")
        #expect(components.path == "/test.txt")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["X-Amz-Credential"] == "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request")
        #expect(items["X-Amz-Expires"] == "86400")
        #expect(items["X-Amz-SignedHeaders"] == "host")
        #expect(items["X-Amz-Signature"] == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func keysAreEncodedPerSegment() {
        #expect(SigV4Signer.encodePath("a b/c+d%e/ü.txt") == "/a%20b/c%2Bd%25e/%C3%BC.txt")
        let config = S3Configuration(endpoint: URL(string: "http://127.0.0.1:9000")!, bucket: "up", pathStyle: true,
                                     credentials: Self.s3Credentials)
        #expect(config.encodedPath(key: "x/a b") == "/up/x/a%20b")
        #expect(config.host == "127.0.0.1:9000")
        #expect(SigV4Signer.encode("a/b=c") == "a%2Fb%3Dc")
    }

    @Test func presignedURLsLiveAtMostSevenDays() throws {
        let storage = S3Storage(
            configuration: S3Configuration(endpoint: URL(string: "http://127.0.0.1:9000")!, bucket: "up", pathStyle: true,
                                           credentials: Self.s3Credentials),
            now: { Self.s3Date })
        let url = storage.presign("PUT", key: "k", expiresAt: Self.s3Date.addingTimeInterval(30 * 86_400))
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(items.first { $0.name == "X-Amz-Expires" }?.value == "604800")
    }
}
