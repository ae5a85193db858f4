import Crypto
import UploadModel

/// `sha256`: the object's SHA-256 in lowercase hex, checked against the digest the client declared.
struct SHA256Job: JobKind {
    let name = "sha256"
    let summary = "Hashes the stored object with SHA-256 and fails for good when the client declared another digest."
    let records = "the lowercase hex SHA-256"

    /// Uses the digest computed while a single PUT streamed in when there is one, else reads and
    /// hashes the whole object (swift-crypto: BoringSSL's SHA-NI code where the CPU has it).
    func run(_ context: JobContext) async throws -> JobOutcome {
        let session = context.session
        let digest: String
        if let received = session.receivedSHA256 {
            digest = received
        } else {
            var hasher = SHA256()
            try await context.storage.read(key: session.objectKey) { chunk in
                hasher.update(data: chunk)
                return true
            }
            digest = Hex.lowercase(hasher.finalize())
        }
        if let declared = session.sha256, declared != digest {
            return .failed(ErrorDetail(code: "sha256Mismatch", message: "declared sha256 \(declared) but the stored bytes hash to \(digest)"), retryable: false)
        }
        return .succeeded(output: digest)
    }
}
