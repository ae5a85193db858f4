import ServiceLifecycle
import UploadStore

/// The first service of a server's group, so the last one shut down: once every other service
/// has stopped (requests answered, jobs finished, feeds ended) it closes the store's database
/// connections, which a shared PostgreSQL server counts against its limit.
struct StoreCloser: Service {
    let store: UploadStore

    /// Waits for graceful shutdown, then closes the store.
    func run() async throws {
        try? await gracefulShutdown()
        store.close()
    }
}
