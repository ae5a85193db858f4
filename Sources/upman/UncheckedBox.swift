/// Hands a value that is used by one thread at a time across a thread boundary.
final class UncheckedBox<Value>: @unchecked Sendable {
    /// The value.
    let value: Value

    /// Wraps a value.
    init(_ value: Value) {
        self.value = value
    }
}
