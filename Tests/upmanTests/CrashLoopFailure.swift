/// The crash loop could not go on.
struct CrashLoopFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
