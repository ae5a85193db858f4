/// At most `limit` holders at once; the rest wait in order. Also a shared pause that every
/// holder respects (after a 429 or 503, everything backs off, not just one request).
actor AsyncLimiter {
    private let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil = ContinuousClock.now

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a slot (and for any shared pause to pass).
    func acquire() async {
        if holders < limit {
            holders += 1
        } else {
            await withCheckedContinuation { waiters.append($0) }
        }
        let until = pausedUntil
        if until > .now { try? await Task.sleep(until: until) }
    }

    /// Gives the slot to the next waiter.
    func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Makes everyone wait `seconds` before their next request.
    func pause(_ seconds: Double) {
        let until = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        if until > pausedUntil { pausedUntil = until }
    }
}
