import Crypto
import Foundation
import TestSupport
import Testing

/// One `upman serve` for a tus test: its data folder, its URL, its admin token, user tokens,
/// and the controller's view of an upload (status, and the sha256 job's digest once it is done).
final class TusBed: @unchecked Sendable {
    let folder: TemporaryFolder
    let process: Process
    /// `http://127.0.0.1:PORT`.
    let url: String
    /// The admin token (`data/admin.token`).
    let adminToken: String
    /// `url + "/files/"`.
    var endpoint: String { url + "/files/" }
    var data: String { folder.path("data") }

    private init(folder: TemporaryFolder, process: Process, url: String, adminToken: String) {
        self.folder = folder
        self.process = process
        self.url = url
        self.adminToken = adminToken
    }

    /// Starts `upman serve --jobs sha256` (so every finished upload gets its digest computed).
    static func start(extra: [String] = []) async throws -> TusBed {
        let folder = try TemporaryFolder()
        let (process, url) = try await ServeProcess.start(folder, extra: ["--jobs", "sha256"] + extra)
        let token = (try? String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let bed = TusBed(folder: folder, process: process, url: url, adminToken: token)
        try #require(url.hasPrefix("http://127.0.0.1:"), "upman serve did not say where it listens")
        try #require(!token.isEmpty, "no admin token in \(folder.path("data"))")
        return bed
    }

    /// Stops the server (SIGTERM, then waits for it).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        _ = process.waitForExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// A new API token for `user` (`upman token create --user USER`).
    func userToken(_ user: String) async throws -> String {
        let run = try await UpmanBinary.run(["token", "create", "--data", data, "--user", user])
        #expect(run.status == 0, "token create: \(run.stderr)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The controller, as the operator.
    var controller: ControllerCalls { ControllerCalls(url: url, token: adminToken) }

    /// Sends one request to the endpoint with curl.
    func curl(_ method: String, _ url: String, headers: [(String, String)], body: [UInt8]? = nil) async throws -> TusResponse {
        try await TusCurl.send(method, url, headers: headers, body: body, scratch: folder)
    }

    /// The status action's answer for one session: `group` and `sessions[0]` (`session`, `parts`, `jobs`).
    func status(_ sessionId: String) async throws -> (group: [String: Any], session: [String: Any], jobs: [[String: Any]]) {
        try await Self.status(sessionId, controller: controller)
    }

    /// Polls until the session is done; see `finished(_:controller:)`.
    func finished(_ sessionId: String) async throws -> (status: String, sha256: String?) {
        try await Self.finished(sessionId, controller: controller)
    }

    /// The Upload-Offset a HEAD with `token` answers for the upload at `url` (nil: none).
    func offset(_ url: String, token: String) async throws -> Int? {
        try await Self.offset(url, token: token, scratch: folder)
    }

    static func status(_ sessionId: String, controller: ControllerCalls) async throws
        -> (group: [String: Any], session: [String: Any], jobs: [[String: Any]]) {
        let answer = try await controller.call(["action": "status", "sessionId": sessionId])
        let detail = (answer["sessions"] as? [[String: Any]])?.first ?? [:]
        return (answer["group"] as? [String: Any] ?? [:], detail["session"] as? [String: Any] ?? [:],
                detail["jobs"] as? [[String: Any]] ?? [])
    }

    /// Polls the status action until the session is COMPLETED with its sha256 job done (or
    /// reached another end, or nothing moved for `Patience.quiet`); answers the last status seen
    /// and the job's output.
    static func finished(_ sessionId: String, controller: ControllerCalls) async throws -> (status: String, sha256: String?) {
        var last: (status: String, sha256: String?) = ("", nil)
        var moves = ""
        _ = try await Patience.wait(interval: .milliseconds(100), progress: { moves }) {
            let (_, session, jobs) = try await status(sessionId, controller: controller)
            let job = jobs.first { $0["kind"] as? String == "sha256" }
            last = (session["status"] as? String ?? "", job?["output"] as? String)
            moves = "\(last.status) \(job?["status"] as? String ?? "-")"
            switch last.status {
            case "COMPLETED": return last.sha256 != nil
            case "FAILED", "CANCELLED", "EXPIRED": return true
            default: return false
            }
        }
        return last
    }

    /// The Upload-Offset of a HEAD with `token` (nil when the answer has none).
    static func offset(_ url: String, token: String, scratch: TemporaryFolder) async throws -> Int? {
        let head = try await TusCurl.send("HEAD", url, headers: [("Tus-Resumable", "1.0.0"), ("Authorization", "Bearer \(token)")], scratch: scratch)
        return head.int("Upload-Offset")
    }
}

/// Digests the way the tus checksum extension carries them: base64 of the raw digest.
enum TusDigest {
    static func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    /// `Upload-Checksum: ALG BASE64` for `bytes`.
    static func header(_ algorithm: String, _ bytes: [UInt8]) -> String {
        let digest: [UInt8]
        switch algorithm {
        case "sha1": digest = Array(Insecure.SHA1.hash(data: bytes))
        case "md5": digest = Array(Insecure.MD5.hash(data: bytes))
        case "sha256": digest = Array(SHA256.hash(data: bytes))
        case "crc32":
            let value = crc32(bytes)
            digest = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        default: digest = Array(SHA256.hash(data: bytes))
        }
        return "\(algorithm) \(Data(digest).base64EncodedString())"
    }

    /// CRC-32 (IEEE 802.3, zlib's), big-endian in the header as tusd and tus-js-client send it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// `key base64,key base64` for Upload-Metadata.
    static func metadata(_ pairs: KeyValuePairs<String, String>) -> String {
        pairs.map { "\($0.key) \(Data($0.value.utf8).base64EncodedString())" }.joined(separator: ",")
    }

    /// Upload-Metadata parsed back into a dictionary (values decoded; a key without a value maps to "").
    static func parseMetadata(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in header.split(separator: ",") {
            let fields = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let key = fields.first else { continue }
            let value = fields.count > 1 ? Data(base64Encoded: String(fields[1])).map { String(decoding: $0, as: UTF8.self) } ?? "<bad base64>" : ""
            result[String(key)] = value
        }
        return result
    }
}
