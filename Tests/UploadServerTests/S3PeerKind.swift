import Foundation
import Testing
import TestSupport

/// The S3 servers the S3 tests run against, each started per test: moto (a Python mock of S3's
/// API) and SeaweedFS (a distributed store with an S3 gateway: master, volume, filer and S3 in one
/// `weed mini` process). Parameterised tests take each in turn; a peer that is not installed here
/// cancels its test cases with the reason, so they show as skipped, never as passed.
enum S3PeerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case moto
    case seaweedfs

    var testDescription: String { rawValue }

    /// Why this peer cannot run here, or nil when it can (checked once, off the cooperative pool).
    func unavailableReason() async throws -> String? {
        switch self {
        case .moto: try await offPool { MotoServer.unavailableReason }
        case .seaweedfs: try await offPool { SeaweedServer.unavailableReason }
        }
    }

    /// Starts this peer on free ports of 127.0.0.1 and waits until it answers S3. When the peer is
    /// not installed, cancels the current test case (Swift Testing reports it skipped, with the
    /// reason) instead of failing or passing it.
    func start() async throws -> any S3Peer {
        if let reason = try await unavailableReason() {
            try Test.cancel("\(rawValue) is not available here: \(reason)")
        }
        switch self {
        case .moto: return try await MotoServer.start()
        case .seaweedfs: return try await SeaweedServer.start()
        }
    }

    /// Starts this peer, runs `body`, and stops the peer whether `body` succeeded or threw.
    func with(_ body: (any S3Peer) async throws -> Void) async throws {
        let peer = try await start()
        do {
            try await body(peer)
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    /// Whether any peer can run here: the S3 suites are skipped as a whole when none can.
    static func anyAvailable() async throws -> Bool {
        for kind in allCases where try await kind.unavailableReason() == nil { return true }
        return false
    }
}
