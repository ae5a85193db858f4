/// A configuration value that cannot be used, worded for the person who wrote it.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
