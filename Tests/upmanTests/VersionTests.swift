import Testing
@testable import upman

/// `upman --version` prints the one version string the source defines.
@Suite struct VersionTests {
    @Test func versionIsPrinted() async throws {
        let run = try await UpmanBinary.run(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == UpmanVersion.current + "\n")
        #expect(!UpmanVersion.current.isEmpty)
    }
}
