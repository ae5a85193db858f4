/// An S3 peer could not be started, or answered a test's request wrongly.
struct S3PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
