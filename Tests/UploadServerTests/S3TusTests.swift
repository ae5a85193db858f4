import Foundation
import ObjectStorage
import Testing
import UploadModel
@testable import UploadServer

/// The tus scenarios (``TusScenarios``) against each S3 peer: parts gathered in memory and sent with
/// UploadPart, the unfinished part kept in the bucket (`<key>.tus-partial`) across a restart and a
/// broken connection, and nothing taken from S3 that a failed checksum sent.
extension S3Suites {
    @Suite struct S3TusTests {
        /// Runs `body` with a server on `peer`, and `restart` starting a new one on the same data
        /// directory and bucket.
        func run(_ peer: S3PeerKind, _ body: (TestServer, _ restart: (TestServer) async throws -> TestServer) async throws -> Void) async throws {
            try await S3TestBed.run(peer, TusScenarios.smallParts) { bed in
                var restarted: TestServer?
                try await body(bed.server) { old in
                    await old.stop()
                    let again = try await TestServer.start(folder: old.folder, s3: bed.peer.configuration(), TusScenarios.smallParts)
                    restarted = again
                    return again
                }
                await restarted?.stop()
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func patchesAcrossParts(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, _ in try await TusScenarios.patchesAcrossParts(server) }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func unfinishedPartSurvivesARestart(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, restart in
                try await TusScenarios.unfinishedPartSurvivesARestart(server, restart: restart)
            }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func aBrokenPatchKeepsWhatArrived(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, _ in try await TusScenarios.aBrokenPatchKeepsWhatArrived(server) }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func aWrongChecksumKeepsNothing(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, _ in try await TusScenarios.aWrongChecksumKeepsNothing(server) }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func aDeferredLength(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, _ in try await TusScenarios.aDeferredLength(server) }
        }

        @Test(.timeLimit(.minutes(15)), arguments: await S3PeerKind.available())
        func aDeferredLengthDeclaredWithNoBytes(_ peer: S3PeerKind) async throws {
            try await run(peer) { server, _ in try await TusScenarios.aDeferredLengthDeclaredWithNoBytes(server) }
        }
    }
}
