import ArgumentParser

/// An error a user caused, printed as one line without a stack trace; exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    /// The line printed.
    let description: String

    init(_ message: String) {
        description = message
    }
}
