/// How the store opens its database.
public struct StoreOptions: Sendable {
    /// How long a writer waits for another process's lock before failing (seconds, default 5).
    public var busyTimeout: Double
    /// How many reader connections the pool keeps (default 4).
    public var maximumReaders: Int

    /// Creates options with documented defaults.
    public init(busyTimeout: Double = 5, maximumReaders: Int = 4) {
        self.busyTimeout = busyTimeout
        self.maximumReaders = maximumReaders
    }
}
