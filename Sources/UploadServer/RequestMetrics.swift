import CoreMetrics
import Prometheus
import Synchronization

/// The process's swift-metrics backend: the series that libraries record through the global
/// `MetricsSystem`, chiefly Hummingbird's `MetricsMiddleware` (per route, method and status:
/// `hb_requests`, `hb_request_errors`, the `http_server_request_duration` histogram in seconds, and
/// `http_server_active_requests` per method).
///
/// `MetricsSystem` can be bootstrapped once per process, so these series belong to the process, not
/// to one server: every server in the process renders ``registry`` at the end of its `/metrics`. The
/// `upman` binary runs one server, so there they are that server's; a test process that starts many
/// servers shares them among all of them (a test reads its own counts from ``ServerMetrics``).
public enum RequestMetrics {
    /// The registry the global `MetricsSystem` records into once ``bootstrap()`` ran.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Bootstraps `MetricsSystem` with a `PrometheusMetricsFactory` over ``registry``, the first
    /// time it is called; later calls do nothing. Call it from the executable (or a test process)
    /// before the first request; a library never bootstraps on its own.
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}
