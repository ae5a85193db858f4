import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ObjectStorage
import ServiceLifecycle
import UnixSignals
import UploadModel
import UploadStore

/// The session controller server: the HTTP routes, the job runner, the sweeper and the SSE hub,
/// over one database and one object storage.
public struct UploadServer: Sendable {
    /// The configuration it runs with.
    public let configuration: ServerConfiguration
    /// The database.
    public let store: UploadStore
    /// Where bytes go.
    public let storage: any ObjectStorage
    /// The embedded store's configured size limit, if it has one.
    public var diskCapacity: DiskCapacity? { (storage as? DiskStorage)?.capacity }
    /// Event fan-out.
    public let hub: EventHub
    /// Metrics.
    public let metrics: ServerMetrics
    /// A test hook that fails some part PUTs (nil in production).
    public var partFaults: PartFaults?
    /// Compares open sessions with storage (the sweeper runs it; tests call it directly).
    public let reconciler: Reconciler
    /// The controller behind `POST /api/v1/controller`; the tus endpoint, the reconciler and the
    /// sweeper are built on it.
    public let controller: SessionController
    /// The sessions whose bytes are arriving or whose completion is under way.
    public let transfers: TransferTracker
    let signal: JobSignal
    let logger: Logger
    /// What feeds the hub from the events table when instances share the database.
    let tailer: EventTailer?

    /// Opens the database and the embedded disk store in the data directory (creating the
    /// admin token and the URL signing key on first start), and removes the upload files a
    /// killed process left behind (see ``AbandonedUploads``).
    public static func withDiskStorage(_ configuration: ServerConfiguration, logger: Logger) throws -> UploadServer {
        let store = try openStore(configuration)
        let data = configuration.dataDirectory
        // Instances sharing a database share the key, so a URL one signs is good at every other.
        let secret = store.isShared
            ? try store.sharedSecret("signing.key") { Data(URLSigner.makeSecret()) }
            : try SecretFile.readOrCreate(data.appendingPathComponent("signing.key")) { Data(URLSigner.makeSecret()) }
        let base = configuration.publicURL ?? URL(string: "http://\(configuration.host):\(configuration.port)")!
        let storage = try DiskStorage(root: data.appendingPathComponent("storage"), baseURL: base, signer: URLSigner(secret: Array(secret)),
                                      capacity: configuration.storageCapacity, durability: configuration.durability)
        try AbandonedUploads.remove(from: storage, store: store, logger: logger)
        try AbandonedUploads.restore(in: storage, store: store, logger: logger)
        try store.setServerInfo(["storage": "disk " + storage.root.appendingPathComponent("objects").path])
        return UploadServer(configuration: configuration, store: store, storage: storage, logger: logger)
    }

    /// Opens the database in the data directory (creating the admin token on first start) over
    /// an S3-compatible bucket.
    public static func withS3Storage(_ configuration: ServerConfiguration, s3: S3Configuration, logger: Logger) throws -> UploadServer {
        let store = try openStore(configuration)
        try store.setServerInfo(["storage": "s3 \(s3.endpoint.absoluteString) bucket \(s3.bucket)"])
        return UploadServer(configuration: configuration, store: store, storage: S3Storage(configuration: s3), logger: logger)
    }

    private static func openStore(_ configuration: ServerConfiguration) throws -> UploadStore {
        let data = configuration.dataDirectory
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let store = try UploadStore.open(configuration.resolvedDatabasePath)
        try TokenIssuer.ensureAdminToken(in: store, file: data.appendingPathComponent("admin.token"))
        return store
    }

    /// Creates a server over an open store and storage.
    public init(configuration: ServerConfiguration, store: UploadStore, storage: any ObjectStorage, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.storage = storage
        self.hub = EventHub(heartbeat: .milliseconds(Int64(configuration.heartbeatInterval * 1000)))
        let metrics = ServerMetrics()
        let signal = JobSignal()
        self.metrics = metrics
        self.signal = signal
        self.logger = logger
        let transfers = TransferTracker()
        self.transfers = transfers
        let controller = SessionController(
            store: store, storage: storage, configuration: configuration, metrics: metrics, jobs: signal, transfers: transfers,
            logger: logger)
        self.controller = controller
        self.reconciler = Reconciler(controller: controller)
        let hub = self.hub
        if store.isShared {
            // Several instances: the hub hears the events table, in id order, whoever wrote them.
            let start = (try? store.reader.snapshot { try $0.latestEventId() }) ?? 0
            let tailer = EventTailer(store: store, hub: hub, start: start, logger: logger)
            self.tailer = tailer
            store.onCommit { [weak tailer] _ in tailer?.wake() }
        } else {
            self.tailer = nil
            store.onCommit { events in hub.publish(events) }
        }
    }

    /// The sweeper (also runs as a service).
    public var sweeper: Sweeper {
        Sweeper(controller: controller, reconciler: reconciler)
    }

    /// The routes. Every request gets an id (``RequestIDMiddleware``), is counted and timed per route,
    /// method and status by Hummingbird's `MetricsMiddleware` (into the global `MetricsSystem`: see
    /// ``RequestMetrics``), and has its errors answered as JSON (``ErrorMiddleware``); the controller and the event stream take a bearer token
    /// (``AuthenticationMiddleware``). The storage webhook checks its own token; health, metrics, this
    /// API's document and the signed part PUTs need none. `GET /api/v1/snapshot` (``SnapshotEndpoint``)
    /// takes the same token as the controller.
    public func router() -> Router<UpmanRequestContext> {
        let router = Router(context: UpmanRequestContext.self)
        var routes = RouteMethods()
        for (method, path) in [
            ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/api/v1/openapi.yaml"), ("POST", "/api/v1/controller"),
            ("POST", "/api/v1/storage-webhook"), ("GET", "/api/v1/events"), ("GET", "/api/v1/snapshot"),
        ] {
            routes.add(method, path)
        }
        if storage is DiskStorage { routes.add("PUT", "/storage/:session/:part") }
        if !configuration.tusPath.isEmpty {
            for method in ["OPTIONS", "POST"] { routes.add(method, configuration.tusPath) }
            for method in ["OPTIONS", "HEAD", "PATCH", "DELETE", "POST"] { routes.add(method, configuration.tusPath + ":id") }
        }
        for path in WebPages.assets.keys { routes.add("GET", path) }
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware())
        if !configuration.corsOrigins.isEmpty { router.add(middleware: CORSPolicy(origins: configuration.corsOrigins)) }
        router.add(middleware: ErrorMiddleware(metrics: metrics, routes: routes, tusPath: configuration.tusPath))
        let authenticator = Authenticator(reader: store.reader)
        let controller = self.controller
        let events = EventStream(store: store, hub: hub, metrics: metrics)
        let metrics = self.metrics
        let store = self.store

        router.get("/healthz") { _, _ -> Response in
            let latest = try await store.reader.latestEventId()
            return Self.json("{\"status\":\"ok\",\"latestEventId\":\(latest)}")
        }
        // Where the page's part PUTs go: the S3 endpoint, or this server at the address it signs URLs
        // for (which differs from the page's own origin when it is opened as localhost, say).
        let storage = self.storage
        let storageOrigin = { @Sendable () -> String? in
            let base = (storage as? S3Storage)?.configuration.endpoint ?? (storage as? DiskStorage)?.address.baseURL
            return base.map { "\($0.scheme ?? "https")://\($0.host ?? "")" + ($0.port.map { ":\($0)" } ?? "") }
        }
        for path in WebPages.assets.keys {
            router.get(RouterPath(path)) { _, _ -> Response in
                WebPages.response(for: path, storageOrigin: storageOrigin()) ?? Response(status: .notFound)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.get("/api/v1/openapi.yaml") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        let authenticated = router.group().add(middleware: AuthenticationMiddleware(authenticator: authenticator))
        authenticated.post("/api/v1/controller") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let body = try await request.body.collect(upTo: 1 << 20)
            let answer = try await controller.handle(body: Data(buffer: body), principal: principal)
            return Self.json(answer)
        }
        let snapshots = SnapshotEndpoint(reader: store.reader)
        authenticated.get("/api/v1/snapshot") { request, context -> Response in
            try await snapshots.respond(request, principal: try context.requirePrincipal())
        }
        let feed = router.group().add(middleware: AuthenticationMiddleware(authenticator: authenticator, queryTokens: true))
        feed.get("/api/v1/events") { request, context -> Response in
            try await events.respond(request, principal: try context.requirePrincipal())
        }
        let webhook = StorageWebhook(
            store: store, storage: storage, finisher: controller.finisher, authenticator: authenticator,
            token: configuration.webhookToken, bucket: (storage as? S3Storage)?.configuration.bucket, logger: logger)
        router.post("/api/v1/storage-webhook") { request, _ -> Response in
            try await webhook.authorize(request.headers)
            let body = try await request.body.collect(upTo: 1 << 20)
            let result = try await webhook.handle(body: Data(buffer: body))
            return Self.json(try UploadJSON.string(result))
        }
        if let disk = storage as? DiskStorage {
            let receiver = PartReceiver(
                store: store, storage: disk, metrics: metrics, faults: partFaults, transfers: transfers,
                refresh: ActivityRefresh(sessionTTL: configuration.sessionTTL),
                hashSinglePUTs: configuration.jobs.contains("sha256"), finisher: controller.finisher)
            router.put("/storage/:session/:part") { request, context -> Response in
                try await receiver.receive(
                    request, sessionId: try context.parameters.require("session"),
                    partNumber: try context.parameters.require("part"))
            }
        }
        if !configuration.tusPath.isEmpty { addTusRoutes(to: router, authenticator: authenticator, controller: controller) }
        return router
    }

    /// The tus 1.0.0 endpoint at ``ServerConfiguration/tusPath`` (see ``TusService``): OPTIONS without
    /// a token; POST, HEAD, PATCH and DELETE with one, as for the controller. A POST with
    /// `X-HTTP-Method-Override: PATCH` or `DELETE` is taken as that method (tus 1.0.0 §2.3).
    private func addTusRoutes(to router: Router<UpmanRequestContext>, authenticator: Authenticator, controller: SessionController) {
        let tus = TusService(controller: controller)
        let base = RouterPath(String(configuration.tusPath.dropLast()))
        let open = router.group(base).add(middleware: TusMiddleware(metrics: metrics))
        open.on("", method: .options) { _, _ in tus.options() }
        open.on(":id", method: .options) { _, _ in tus.options() }
        let uploads = router.group(base).add(middleware: TusMiddleware(metrics: metrics))
            .add(middleware: AuthenticationMiddleware(authenticator: authenticator))
        uploads.post("") { request, context in
            try await tus.create(request, principal: try context.requirePrincipal())
        }
        uploads.head(":id") { _, context in
            try await tus.head(try context.parameters.require("id"), principal: try context.requirePrincipal())
        }
        uploads.patch(":id") { request, context in
            try await tus.patch(request, id: try context.parameters.require("id"), principal: try context.requirePrincipal())
        }
        uploads.delete(":id") { _, context in
            try await tus.terminate(try context.parameters.require("id"), principal: try context.requirePrincipal())
        }
        uploads.post(":id") { request, context in
            let id = try context.parameters.require("id")
            switch request.headers[TusProtocol.methodOverride]?.uppercased() {
            case "PATCH": return try await tus.patch(request, id: id, principal: try context.requirePrincipal())
            case "DELETE": return try await tus.terminate(id, principal: try context.requirePrincipal())
            default: throw UploadError(.badRequest, "POST to an upload needs X-HTTP-Method-Override: PATCH or DELETE")
            }
        }
    }

    /// The HTTP application alone.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(300))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "upman",
                // A burst of new connections (a thousand uploaders starting at once) waits in the
                // accept queue instead of being dropped and retried by TCP a second or more later.
                backlog: 4096),
            onServerRunning: { [configuration, storage] channel in
                let port = channel.localAddress?.port ?? 0
                if configuration.publicURL == nil, let disk = storage as? DiskStorage,
                   let url = URL(string: "http://\(configuration.host):\(port)")
                {
                    disk.address.update(url)
                }
                await onServerRunning(port)
            },
            logger: httpLogger)
    }

    /// The HTTP server's logger: the server's, but without HummingbirdCore's "Server started and
    /// listening" at the default level (`onServerRunning` prints upman's own line, with the upload
    /// page's address, and that is the first line an operator should see); `debug` and `trace`
    /// keep it.
    private var httpLogger: Logger {
        var logger = logger
        if logger.logLevel == .info { logger.logLevel = .notice }
        return logger
    }

    /// The whole server as one service group: job runner, sweeper, HTTP, SSE hub. Graceful shutdown
    /// runs in reverse: the hub ends every SSE stream, the HTTP server finishes its requests, the
    /// sweeper stops, and jobs under way finish.
    public func serviceGroup(
        gracefulShutdownSignals: [UnixSignal] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let runner = JobRunner(store: store, storage: storage, configuration: configuration, signal: signal, metrics: metrics, logger: logger)
        let services: [any Service] = [StoreCloser(store: store), runner, sweeper, application(onServerRunning: onServerRunning), hub]
            + (tailer.map { [$0] } ?? [])
        return ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger))
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
