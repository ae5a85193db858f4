import Foundation

/// How often and how patiently a part is sent again: exponential backoff with jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per part before it is given up (default 5).
    public var maxAttempts: Int
    /// The first pause (default 0.5 s); it doubles each time.
    public var baseDelay: TimeInterval
    /// The longest pause (default 30 s).
    public var maxDelay: TimeInterval

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The pause before attempt `attempt + 1` (attempt counts from 1), with ±25% jitter.
    public func delay(after attempt: Int, jitter: Double = Double.random(in: 0.75...1.25)) -> TimeInterval {
        min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1)))) * jitter
    }
}
