import Foundation

/// What `upman fixtures` makes: how many groups and files, from which seed, ending at what time.
public struct FixtureOptions: Sendable, Hashable {
    /// Number of groups.
    public var groups: Int
    /// Files in each group.
    public var filesPerGroup: Int
    /// The seed: the same seed and `now` give the same database.
    public var seed: UInt64
    /// The simulated history ends at this time (the newest activity).
    public var now: Date
    /// Groups written per transaction.
    public var groupsPerTransaction: Int

    /// Creates options; defaults are 10 files a group, seed 1, history ending now.
    public init(
        groups: Int, filesPerGroup: Int = 10, seed: UInt64 = 1, now: Date = Date(),
        groupsPerTransaction: Int = 25
    ) {
        self.groups = groups
        self.filesPerGroup = filesPerGroup
        self.seed = seed
        self.now = now
        self.groupsPerTransaction = groupsPerTransaction
    }
}
