import Crypto
import Foundation
import UploadModel

/// Signs and checks the expiring URLs of the embedded store: HMAC-SHA256 over method, path,
/// expiry and the identity of the part the URL is for.
public struct URLSigner: Sendable {
    private let secret: [UInt8]

    /// Creates a signer with a secret (at least 32 bytes is sensible).
    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The hex signature of one request.
    public func signature(method: String, path: String, expires: Int64, identity: String) -> String {
        let message = "\(method)\n\(path)\n\(expires)\n\(identity)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: secret))
        return Hex.lowercase(mac)
    }

    /// Whether `signature` was made by this signer for exactly this request, and has not expired.
    public func verify(
        signature: String, method: String, path: String, expires: Int64, identity: String, now: Date
    ) -> Bool {
        guard Int64(now.timeIntervalSince1970) <= expires else { return false }
        let expected = Array(self.signature(method: method, path: path, expires: expires, identity: identity).utf8)
        let given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }

    /// A new random secret.
    public static func makeSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
