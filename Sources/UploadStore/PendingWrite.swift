import Foundation

/// One caller's transaction waiting for the writer: its body, and how to answer the caller once
/// the batch holding it has committed (or failed).
struct PendingWrite: Sendable {
    /// Who acts; recorded on every changed entity.
    let actedBy: String
    /// The time stamped on the changes.
    let now: Date
    /// Runs the caller's body in its savepoint; the closure it returns answers the caller with the
    /// body's value and is called only after the commit that holds the change.
    let body: @Sendable (StoreTransaction) throws -> @Sendable () -> Void
    /// Answers the caller with an error (its body threw, or its batch failed to commit).
    let fail: @Sendable (any Error) -> Void
}
