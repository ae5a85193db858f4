import Foundation
import UploadModel
import UploadStore

/// One request writing a tus upload at a time across instances that share a database: the upload's
/// row names the request holding it, until a time the request keeps moving forward while it
/// writes. A new PATCH asks the holder to let go and takes the upload once it has (the holder sees
/// the ask at its next renewal, stops reading its body and keeps what arrived), as ``TusLocks``
/// does within one process; a holder whose instance died lets go when its hold runs out. With one
/// process (SQLite) there is nothing to do: ``TusLocks`` is enough.
struct TusHold: Sendable {
    /// How long a hold lasts without renewal.
    static let duration: TimeInterval = 10
    /// How often a holder renews (and looks for an ask).
    static let renewal: Duration = .seconds(1)

    let store: UploadStore

    /// Takes upload `id` for a new request; asks its holder to let go first when `takeOver` (a
    /// PATCH), waiting up to `patience` (as ``TusLocks/takeOver(_:stopper:patience:)`` does).
    ///
    /// - Returns: the request's name on the hold; nil on a database only one process uses.
    /// - Throws: `locked` (423) when another request holds it and does not let go in time.
    func take(_ id: String, actor: String, takeOver: Bool, patience: Duration = .seconds(20)) async throws -> String? {
        guard store.isShared else { return nil }
        let holder = UploadID.make("hold")
        let deadline = ContinuousClock.now + patience
        var asked = false
        while true {
            let taken = try await store.transaction(actedBy: actor) { tx in
                try tx.tus.hold(id, holder: holder, until: tx.now.addingTimeInterval(Self.duration))
            }
            if taken { return holder }
            guard takeOver, ContinuousClock.now < deadline else { throw TusError.locked(id) }
            if !asked {
                try await store.transaction(actedBy: actor) { tx in try tx.tus.ask(id, by: holder) }
                asked = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Renews `holder`'s hold of `id` every ``renewal`` until cancelled; calls `stop` once when
    /// another request asked for the upload or the hold was lost.
    func keep(_ id: String, holder: String, actor: String, stop: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: Self.renewal) } catch { return }
                let state = try? await store.transaction(actedBy: actor) { tx in
                    try tx.tus.renew(id, holder: holder, until: tx.now.addingTimeInterval(Self.duration))
                }
                if state == .some(nil) || state == .some(.some(true)) {
                    stop()
                    return
                }
            }
        }
    }

    /// Lets go of `id`.
    func release(_ id: String, holder: String, actor: String) async {
        _ = try? await store.transaction(actedBy: actor) { tx in try tx.tus.release(id, holder: holder) }
    }
}
