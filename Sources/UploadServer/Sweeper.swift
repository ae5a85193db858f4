import Foundation
import Logging
import ObjectStorage
import ServiceLifecycle
import UploadModel
import UploadStore

/// Reconciles open sessions with storage, expires sessions idle longer than the TTL (their bytes
/// are removed) and trims the event log to its retention, on a timer until graceful shutdown.
///
/// A session whose bytes are arriving or whose completion is under way (see ``TransferTracker``)
/// is not idle, whatever its recorded activity says: it is never expired.
public struct Sweeper: Service {
    /// The controller whose store, storage, settings and transfers (sessions busy in this process) it works with.
    let controller: SessionController
    /// Compares open sessions with storage before any is expired, when given.
    let reconciler: Reconciler?

    /// Creates a sweeper on `controller`'s store and storage, with its TTL, interval and event retention.
    public init(controller: SessionController, reconciler: Reconciler? = nil) {
        self.controller = controller
        self.reconciler = reconciler
    }

    private var store: UploadStore { controller.store }
    private var storage: any ObjectStorage { controller.storage }
    private var transfers: TransferTracker { controller.transfers }
    private var logger: Logger { controller.logger }
    private var ttl: TimeInterval { controller.configuration.sessionTTL }
    private var interval: TimeInterval { controller.configuration.sweepInterval }
    private var eventRetention: Int { controller.configuration.eventRetention }

    /// Sweeps once now, then every interval until shutdown; when instances share the database, only
    /// the leader sweeps (see ``UploadStore/isLeader()``), and another takes over when it dies.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // Instances sharing a database sweep one at a time: the leader does.
                    if await store.isLeader() { try await sweep(now: Date()) }
                } catch {
                    logger.error("sweep failed", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: .seconds(interval)) } catch { break }
            }
        }
    }

    /// Reconciles a page of open sessions with storage (so a finished upload is not taken for an
    /// idle one), expires idle sessions, prunes old events and removes tokens (events tokens,
    /// upload links) a week after they expired; returns the sessions it expired.
    @discardableResult
    public func sweep(now: Date) async throws -> [UploadSession] {
        if let reconciler {
            do {
                try await reconciler.reconcile(now: now)
            } catch {
                logger.error("reconciling with storage failed", metadata: ["error": "\(error)"])
            }
        }
        let cutoff = now.addingTimeInterval(-ttl)
        let hours = ttl >= 3600 ? "\(Int(ttl / 3600))h" : "\(Int(ttl))s"
        let retention = eventRetention
        let transfers = self.transfers
        // Claimed inside the transaction, released once it ended: a transfer or completion marked
        // before the claim is left alone, one that comes while it holds is refused, and one after
        // it reads the EXPIRED session.
        let claims = ExpiryClaims()
        defer { transfers.releaseExpiry(claims.ids) }
        let expired = try await store.transaction(actedBy: "system") { tx in
            let candidates = try tx.sessions.idle(since: cutoff, limit: 1000)
            let claimed = claims.add(transfers.claimForExpiry(candidates.map(\.id)))
            let idle = candidates.filter { claimed.contains($0.id) }
            let expired = try idle.map { session in
                try tx.sessions.transition(
                    session.id, to: .expired,
                    error: ErrorDetail(code: "sessionExpired", message: "no activity for \(hours); bytes removed"))
            }
            try tx.eventLog.prune(keepingLast: retention)
            // Kept a week past expiry, so a late visitor of a link hears "expired", not "unknown".
            try tx.tokens.deleteExpired(before: now.addingTimeInterval(-7 * 86_400))
            return expired
        }
        for session in expired {
            try? await storage.abort(StorageUpload(session))
            logger.info("session expired", metadata: ["session": "\(session.id)"])
        }
        return expired
    }
}
