/// Why a test server (PostgreSQL, nginx, a test upstream) could not be started or asked something.
public struct ServerProcessError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; tests skip on ``Code-swift.struct/notInstalled`` and fail on
    /// the others.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// The program is not installed here (the message names the package that provides it).
        public static let notInstalled = Code(name: "notInstalled")
        /// The program ran but did not come up (the message carries the end of its log).
        public static let didNotStart = Code(name: "didNotStart")
        /// A command it was asked to run (psql, `nginx -t`, initdb) failed or timed out.
        public static let commandFailed = Code(name: "commandFailed")
        /// The code's name.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, in words.
    public let message: String

    /// An error of kind `code` saying `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "\(code): \(message)" }
}
