import Foundation
import Synchronization
import UploadModel

/// Group commit for ``UploadStore/transaction(actedBy:at:_:)``: concurrent callers queue here, and
/// a dedicated dispatch queue (never the cooperative pool) runs every waiting body, up to
/// ``maximumBatch``, in one transaction on the engine's single writer (IMMEDIATE on SQLite), each
/// in its own SAVEPOINT.
///
/// - A body that throws rolls back its savepoint (its rows, its events, its counter deltas) and only
///   its caller gets the error; the others commit.
/// - Each body flushes its own derived counters inside its savepoint, so a flush failure also stays
///   with its body, and the events of a request are the same whether it ran alone or in a batch.
///   With counters moved by deltas that flush reads only the touched rows.
/// - The events of the batch's bodies are appended to the log last, just before COMMIT, in
///   body order (see ``SQLDatabase/appendEvents(_:)``), so ids follow commit order.
/// - The batch commits once; then the observers hear the events in commit order, still on the
///   writer (before the next batch), and only then do the callers resume: no acknowledgement
///   before the commit. If the batch itself fails (the transaction aborted, or COMMIT failed), every
///   caller in it gets the error and the database is as before the batch.
/// - A lone request runs at once: the queue drains whatever is waiting when the writer is free and
///   never waits to collect more (no timer).
final class WriteBatcher: Sendable {
    /// The most bodies one transaction holds.
    static let maximumBatch = 64

    private struct State {
        var waiting: [PendingWrite] = []
        var draining = false
    }

    private let engine: any StoreEngine
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "upman.store.writer")
    private let observers = Mutex<[@Sendable ([UploadEvent]) -> Void]>([])
    /// Test hook: runs after the bodies and before COMMIT; throwing fails the whole batch.
    let beforeCommit = Mutex<(@Sendable (any SQLDatabase) throws -> Void)?>(nil)

    /// A batcher writing through `engine`.
    init(engine: any StoreEngine) {
        self.engine = engine
    }

    /// Adds a commit observer (see ``announce(_:)``).
    func addObserver(_ observer: @escaping @Sendable ([UploadEvent]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Tells the commit observers about a committed transaction's events. It runs on the writer,
    /// right after the commit and before the next transaction may begin, so observers see events
    /// in commit order (announcing after the writer returned let two writers' batches cross, and
    /// the live feed, which never goes back to a lower id, lost the later-announced one). Observers
    /// must return at once and must not write. Both the batches here and the synchronous
    /// ``UploadStore/write(actedBy:at:_:)`` announce through it.
    func announce(_ events: [UploadEvent]) {
        guard !events.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(events) }
    }

    /// How many requests wait for the writer (not counting a batch that is running).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Queues `write`; starts draining if the writer queue is idle.
    func submit(_ write: PendingWrite) {
        let start = state.withLock { state -> Bool in
            state.waiting.append(write)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Runs batches until nothing waits.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [PendingWrite] in
                let count = min(Self.maximumBatch, state.waiting.count)
                guard count > 0 else {
                    state.draining = false
                    return []
                }
                let batch = Array(state.waiting.prefix(count))
                state.waiting.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return }
            run(batch)
        }
    }

    /// What became of one body in a batch.
    private enum Outcome {
        case done(resume: @Sendable () -> Void, events: [UploadEvent])
        case failed(any Error)
    }

    /// One batch: one transaction, a savepoint per body, the events, one commit, then the answers.
    private func run(_ batch: [PendingWrite]) {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try engine.write({ db in
                for write in batch {
                    let tx = StoreTransaction(db: db, actedBy: write.actedBy, now: write.now)
                    do {
                        var resume: (@Sendable () -> Void)?
                        try db.inSavepoint {
                            resume = try write.body(tx)
                            try tx.flush()
                        }
                        outcomes.append(.done(resume: resume!, events: tx.events))
                    } catch {
                        // An error that aborted the whole transaction (the engine rolled it back)
                        // takes the batch with it: fail everyone below.
                        guard db.isInsideTransaction else { throw error }
                        outcomes.append(.failed(StoreError.wrap(error, doing: "write")))
                    }
                }
                try appendEvents(of: &outcomes, db)
                if let hook = beforeCommit.withLock({ $0 }) { try hook(db) }
            }, afterCommit: {
                for case .done(_, let events) in outcomes { announce(events) }
            })
        } catch {
            let failure = StoreError.wrap(error, doing: "write")
            for (index, write) in batch.enumerated() {
                if index < outcomes.count, case .failed(let own) = outcomes[index] {
                    write.fail(own)
                } else {
                    write.fail(failure)
                }
            }
            return
        }
        for (write, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .done(let resume, _): resume()
            case .failed(let error): write.fail(error)
            }
        }
    }

    /// Appends the events of every body that succeeded, in body order, in one go, and hands each
    /// body its events back with their ids.
    private func appendEvents(of outcomes: inout [Outcome], _ db: any SQLDatabase) throws {
        var all: [UploadEvent] = []
        for case .done(_, let events) in outcomes { all += events }
        guard !all.isEmpty else { return }
        try db.appendEvents(&all)
        var next = all.startIndex
        for index in outcomes.indices {
            guard case .done(let resume, let events) = outcomes[index] else { continue }
            outcomes[index] = .done(resume: resume, events: Array(all[next..<next + events.count]))
            next += events.count
        }
    }
}
