import Foundation
import Testing
import TestSupport

/// The S3 servers the S3 tests run against, each started per test: moto (a Python mock of S3's
/// API) and SeaweedFS (a distributed store with an S3 gateway: master, volume, filer and S3 in one
/// `weed mini` process). Parameterised tests take each peer that can run here
/// (``available()``); ``S3PeerTests`` shows each missing one as a skipped test with the reason.
enum S3PeerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case moto
    case seaweedfs

    var testDescription: String { rawValue }

    /// The peers the environment variable `UPMAN_TEST_S3_PEERS` (a comma-separated list of names,
    /// e.g. `moto`) selects; every peer when it is not set.
    static let selected: Set<S3PeerKind> = {
        guard let names = ProcessInfo.processInfo.environment["UPMAN_TEST_S3_PEERS"] else { return Set(allCases) }
        return Set(names.split(separator: ",").compactMap { S3PeerKind(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }()

    /// Why this peer cannot run here, or nil when it can (checked once, off the cooperative pool).
    func unavailableReason() async throws -> String? {
        guard Self.selected.contains(self) else { return "left out by UPMAN_TEST_S3_PEERS" }
        switch self {
        case .moto: return try await offPool { MotoServer.unavailableReason }
        case .seaweedfs: return try await offPool { SeaweedServer.unavailableReason }
        }
    }

    /// Starts this peer on free ports of 127.0.0.1 and waits until it answers S3. A test that names
    /// a peer that is not installed is cancelled with the reason instead of failing.
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

    /// The peers that can run here, in order: the arguments of the parameterised S3 tests.
    static func available() async -> [S3PeerKind] {
        var kinds: [S3PeerKind] = []
        for kind in allCases where (try? await kind.unavailableReason()) == .some(nil) { kinds.append(kind) }
        return kinds
    }

    /// Whether any peer can run here: the S3 suites are skipped as a whole when none can.
    static func anyAvailable() async throws -> Bool {
        for kind in allCases where try await kind.unavailableReason() == nil { return true }
        return false
    }
}
