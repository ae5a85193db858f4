import Prometheus
import Synchronization

/// The server's Prometheus metrics: uploads, bytes, parts, errors by code, controller actions,
/// job durations, SSE subscribers. `GET /metrics` renders them.
public final class ServerMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry = PrometheusCollectorRegistry()
    private let sessionsInitiated: Counter
    private let sessionsCompleted: Counter
    private let bytesReceived: Counter
    private let partsReceived: Counter
    private let subscribers: Gauge
    private let errorCounters = Mutex<[String: Counter]>([:])
    private let jobCounters = Mutex<[String: (Counter, DurationHistogram)]>([:])
    /// Per controller action: calls that answered, calls that failed, and their durations. Made once
    /// for the actions named at creation (and ``unknownAction``), so no request adds a label value.
    private let actionMetrics: [String: (succeeded: Counter, failed: Counter, duration: DurationHistogram)]

    /// The `action` label of controller calls that name no known action (or none).
    public static let unknownAction = "unknown"

    /// Creates the metrics, with a counter and a duration histogram for each of `actions`.
    public init(actions: [String] = ControllerAction.names) {
        sessionsInitiated = registry.makeCounter(descriptor: Self.name("sessions_initiated", "total", "Upload sessions initiated."))
        sessionsCompleted = registry.makeCounter(descriptor: Self.name("sessions_completed", "total", "Upload sessions that reached COMPLETED."))
        bytesReceived = registry.makeCounter(descriptor: Self.name("bytes_received", "total", "Bytes received by the embedded store."))
        partsReceived = registry.makeCounter(descriptor: Self.name("parts_uploaded", "total", "Parts recorded as UPLOADED."))
        subscribers = registry.makeGauge(descriptor: Self.name("sse", "subscribers", "Open Server-Sent Events streams."))
        var actionMetrics: [String: (succeeded: Counter, failed: Counter, duration: DurationHistogram)] = [:]
        for action in actions + [Self.unknownAction] where actionMetrics[action] == nil {
            let calls = Self.name("controller_requests", "total", "Controller calls, by action and outcome (ok or error).")
            actionMetrics[action] = (
                registry.makeCounter(descriptor: calls, labels: [("action", action), ("outcome", "ok")]),
                registry.makeCounter(descriptor: calls, labels: [("action", action), ("outcome", "error")]),
                registry.makeDurationHistogram(
                    descriptor: Self.name("controller_request_duration", "seconds", "Controller call durations, by action."),
                    labels: [("action", action)],
                    buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                              .seconds(2), .seconds(10)])
            )
        }
        self.actionMetrics = actionMetrics
    }

    /// One session was initiated.
    public func sessionInitiated() { sessionsInitiated.increment() }
    /// One session completed.
    public func sessionCompleted() { sessionsCompleted.increment() }
    /// A part's bytes arrived.
    public func partReceived(bytes: Int64) {
        partsReceived.increment()
        bytesReceived.increment(by: bytes)
    }
    /// An SSE stream opened (+1) or closed (-1).
    public func subscribersChanged(by delta: Double) { subscribers.increment(by: delta) }

    /// A request failed with `code`.
    public func countError(_ code: String) {
        let counter = errorCounters.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name("errors", "total", "Errors answered, by code."), labels: [("code", code)])
            counters[code] = counter
            return counter
        }
        counter.increment()
    }

    /// A controller call of `action` (nil when the body named none) answered or failed after
    /// `duration`; an action not named at creation counts as ``unknownAction``.
    public func actionFinished(_ action: String?, succeeded: Bool, duration: Duration) {
        guard let metrics = actionMetrics[action ?? Self.unknownAction] ?? actionMetrics[Self.unknownAction] else { return }
        (succeeded ? metrics.succeeded : metrics.failed).increment()
        metrics.duration.record(duration)
    }

    /// A job of `kind` ended with `outcome` after `duration`.
    public func jobFinished(kind: String, outcome: String, duration: Duration) {
        let key = kind + "\u{0}" + outcome
        let (counter, histogram) = jobCounters.withLock { counters in
            if let pair = counters[key] { return pair }
            let pair = (
                registry.makeCounter(descriptor: Self.name("jobs", "total", "Processing jobs run, by kind and outcome."), labels: [("kind", kind), ("outcome", outcome)]),
                registry.makeDurationHistogram(
                    descriptor: Self.name("job_duration", "seconds", "Processing job durations."),
                    labels: [("kind", kind), ("outcome", outcome)],
                    buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600)])
            )
            counters[key] = pair
            return pair
        }
        counter.increment()
        histogram.record(duration)
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "upman", metricName: metric, unitName: unit, helpText: help)
    }

    /// The Prometheus text exposition.
    public func render() -> String {
        registry.emitToString()
    }
}
