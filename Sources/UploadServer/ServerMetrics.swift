import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The server's metrics: uploads, bytes, parts, errors by code, controller actions, job durations,
/// SSE subscribers. `GET /metrics` renders them, followed by the process's per-route series
/// (``RequestMetrics``).
///
/// They are recorded through the swift-metrics API (`Counter`, `Meter`, `Timer`) and live in this
/// server's own `PrometheusCollectorRegistry`, not in the process-wide `MetricsSystem`: a test
/// process runs many servers, and each one's `/metrics` must count only its own uploads. Each family
/// is registered in the registry with its HELP text and its histogram buckets, and the swift-metrics
/// value wraps that handler with a `PrometheusMetricsFactory` over the same registry (the factory's
/// own handlers carry no HELP text, and the registry refuses a second registration whose HELP differs).
public final class ServerMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory over ``registry``.
    public let factory: PrometheusMetricsFactory
    private let sessionsInitiated: CoreMetrics.Counter
    private let sessionsCompleted: CoreMetrics.Counter
    private let bytesReceived: CoreMetrics.Counter
    private let partsReceived: CoreMetrics.Counter
    private let subscribers: Meter
    private let errorCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let jobCounters = Mutex<[String: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])
    /// Per controller action: calls that answered, calls that failed, and their durations. Made once
    /// for the actions named at creation (and ``unknownAction``), so no request adds a label value.
    private let actionMetrics: [String: (succeeded: CoreMetrics.Counter, failed: CoreMetrics.Counter, duration: CoreMetrics.Timer)]

    /// The `action` label of controller calls that name no known action (or none).
    public static let unknownAction = "unknown"

    private static let actionCalls = name("controller_requests", "total", "Controller calls, by action and outcome (ok or error).")
    private static let actionDuration = name("controller_request_duration", "seconds", "Controller call durations, by action.")
    private static let actionBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10),
    ]
    private static let jobs = name("jobs", "total", "Processing jobs run, by kind and outcome.")
    private static let jobDuration = name("job_duration", "seconds", "Processing job durations.")
    private static let jobBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600),
    ]
    private static let errors = name("errors", "total", "Errors answered, by code.")

    /// Creates the metrics, with a counter and a duration histogram for each of `actions`.
    public init(actions: [String] = ControllerAction.names) {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        self.registry = registry
        self.factory = factory
        func counter(_ family: Family, _ labels: [(String, String)] = []) -> CoreMetrics.Counter {
            Self.counter(family, labels, registry: registry, factory: factory)
        }
        sessionsInitiated = counter(Self.name("sessions_initiated", "total", "Upload sessions initiated."))
        sessionsCompleted = counter(Self.name("sessions_completed", "total", "Upload sessions that reached COMPLETED."))
        bytesReceived = counter(Self.name("bytes_received", "total", "Bytes received by the embedded store."))
        partsReceived = counter(Self.name("parts_uploaded", "total", "Parts recorded as UPLOADED."))
        let subscribers = Self.name("sse", "subscribers", "Open Server-Sent Events streams.").descriptor
        self.subscribers = Meter(
            label: subscribers.name, dimensions: [], handler: registry.makeGauge(descriptor: subscribers), factory: factory)
        var actionMetrics: [String: (succeeded: CoreMetrics.Counter, failed: CoreMetrics.Counter, duration: CoreMetrics.Timer)] = [:]
        for action in actions + [Self.unknownAction] where actionMetrics[action] == nil {
            actionMetrics[action] = (
                counter(Self.actionCalls, [("action", action), ("outcome", "ok")]),
                counter(Self.actionCalls, [("action", action), ("outcome", "error")]),
                Self.timer(Self.actionDuration, [("action", action)], buckets: Self.actionBuckets, registry: registry, factory: factory)
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
    public func subscribersChanged(by delta: Double) {
        if delta < 0 { subscribers.decrement(by: -delta) } else { subscribers.increment(by: delta) }
    }

    /// A request failed with `code`.
    public func countError(_ code: String) {
        let counter = errorCounters.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = Self.counter(Self.errors, [("code", code)], registry: registry, factory: factory)
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
        metrics.duration.record(duration: duration)
    }

    /// A job of `kind` ended with `outcome` after `duration`.
    public func jobFinished(kind: String, outcome: String, duration: Duration) {
        let key = kind + "\u{0}" + outcome
        let (counter, timer) = jobCounters.withLock { counters in
            if let pair = counters[key] { return pair }
            let labels = [("kind", kind), ("outcome", outcome)]
            let pair = (
                Self.counter(Self.jobs, labels, registry: registry, factory: factory),
                Self.timer(Self.jobDuration, labels, buckets: Self.jobBuckets, registry: registry, factory: factory)
            )
            counters[key] = pair
            return pair
        }
        counter.increment()
        timer.record(duration: duration)
    }

    /// The Prometheus text exposition: this server's series, then the process's per-route series
    /// (``RequestMetrics/registry``).
    public func render() -> String {
        registry.emitToString() + RequestMetrics.registry.emitToString()
    }

    /// A metric family's name, unit and HELP text (`MetricNameDescriptor` is not `Sendable`).
    private struct Family: Sendable {
        let metric: String
        let unit: String
        let help: String
        var descriptor: MetricNameDescriptor {
            MetricNameDescriptor(namespace: "upman", metricName: metric, unitName: unit, helpText: help)
        }
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> Family {
        Family(metric: metric, unit: unit, help: help)
    }

    private static func counter(
        _ family: Family, _ labels: [(String, String)], registry: PrometheusCollectorRegistry,
        factory: PrometheusMetricsFactory
    ) -> CoreMetrics.Counter {
        let descriptor = family.descriptor
        return CoreMetrics.Counter(
            label: descriptor.name, dimensions: labels, handler: registry.makeCounter(descriptor: descriptor, labels: labels),
            factory: factory)
    }

    private static func timer(
        _ family: Family, _ labels: [(String, String)], buckets: [Duration],
        registry: PrometheusCollectorRegistry, factory: PrometheusMetricsFactory
    ) -> CoreMetrics.Timer {
        let descriptor = family.descriptor
        return CoreMetrics.Timer(
            label: descriptor.name, dimensions: labels,
            handler: registry.makeDurationHistogram(descriptor: descriptor, labels: labels, buckets: buckets), factory: factory)
    }
}
