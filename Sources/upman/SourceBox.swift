import Dashboard

/// Hands a ``DashboardSource`` to the one thread that reads it (sources are used by one thread at a time).
struct SourceBox: @unchecked Sendable {
    /// The source.
    let source: any DashboardSource
}
