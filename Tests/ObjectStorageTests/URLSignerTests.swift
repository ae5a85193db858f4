import Foundation
import Testing
@testable import ObjectStorage

/// Signed URLs: only the exact request they were made for, and only until they expire.
@Suite struct URLSignerTests {
    let signer = URLSigner(secret: Array("0123456789abcdef0123456789abcdef".utf8))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func exactRequestVerifies() {
        let sig = signer.signature(method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5")
        #expect(signer.verify(signature: sig, method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
        #expect(signer.verify(signature: sig.uppercased(), method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
    }

    @Test func anythingElseFails() {
        let sig = signer.signature(method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5")
        #expect(!signer.verify(signature: sig, method: "GET", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
        #expect(!signer.verify(signature: sig, method: "PUT", path: "/storage/s/2", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
        #expect(!signer.verify(signature: sig, method: "PUT", path: "/storage/s/1", expires: 1_800_000_061, identity: "s:1:0:5", now: now))
        #expect(!signer.verify(signature: sig, method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:2:5:5", now: now))
        #expect(!signer.verify(signature: "00" + sig.dropFirst(2), method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
        #expect(!signer.verify(signature: "", method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
        let other = URLSigner(secret: Array("another secret, same length......".utf8))
        #expect(!other.verify(signature: sig, method: "PUT", path: "/storage/s/1", expires: 1_800_000_060, identity: "s:1:0:5", now: now))
    }

    @Test func expiredFails() {
        let sig = signer.signature(method: "PUT", path: "/p", expires: 1_800_000_000, identity: "i")
        #expect(signer.verify(signature: sig, method: "PUT", path: "/p", expires: 1_800_000_000, identity: "i", now: now))
        #expect(!signer.verify(signature: sig, method: "PUT", path: "/p", expires: 1_800_000_000, identity: "i", now: now.addingTimeInterval(1)))
    }
}
