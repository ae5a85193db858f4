/// upman's version, printed by `upman --version`; the one place it is written.
enum UpmanVersion {
    /// The version string.
    static let current = "0.1.0"
}
