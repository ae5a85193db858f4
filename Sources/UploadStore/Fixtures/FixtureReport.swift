/// What a fixture run wrote.
public struct FixtureReport: Sendable, Hashable, Codable {
    /// Groups written.
    public var groups = 0
    /// Sessions written.
    public var sessions = 0
    /// Parts written.
    public var parts = 0
    /// Jobs written.
    public var jobs = 0
    /// Events in the log afterwards.
    public var events: Int64 = 0

    /// An empty report.
    public init() {}
}
