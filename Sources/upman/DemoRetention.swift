/// Keeps a long `upman demo` run's disk use bounded: remembers the groups that finished and names
/// the oldest ones to delete once more than `limit` are kept.
actor DemoRetention {
    private let limit: Int
    private var finished: [(id: String, name: String)] = []

    /// Creates a retention that keeps at most `limit` finished groups.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Records a finished group and returns the groups to delete now, oldest first.
    func finished(id: String, name: String) -> [(id: String, name: String)] {
        finished.append((id, name))
        guard finished.count > limit else { return [] }
        let expired = Array(finished.prefix(finished.count - limit))
        finished.removeFirst(expired.count)
        return expired
    }
}
