import Testing

/// Hummingbird's `MetricsMiddleware` series reach `/metrics` beside the server's own.
@Suite struct RequestMetricsTests {
    /// Series of the process (``RequestMetrics``): other servers of this test process add to the same
    /// counts, so the test asks for the series and a count of at least one, not an exact value.
    @Test func aRouteIsCountedAndTimedPerRouteMethodAndStatus() async throws {
        let server = try await TestServer.start()
        let health = try await server.send(.GET, "/healthz")
        #expect(health.status == 200)
        let labels = #"{http_route="/healthz",http_request_method="GET",http_response_status_code="200"}"#
        // The middleware records once the response body is written: the next read may come first.
        var text = ""
        try await server.waitFor("healthz counted") {
            text = try await server.send(.GET, "/metrics").text
            return text.contains("hb_requests" + labels)
        }
        let count = text.split(separator: "\n").first { $0.hasPrefix("hb_requests" + labels) }?.split(separator: " ").last
        #expect((count.flatMap { Double($0) } ?? 0) >= 1)
        #expect(text.contains("http_server_request_duration_count" + labels))
        #expect(text.contains("http_server_request_duration_bucket{"))
        #expect(text.contains(#"upman_controller_requests_total{action="status",outcome="ok"} 0"#))
        await server.finish()
    }
}
