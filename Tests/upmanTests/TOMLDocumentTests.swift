import Testing
@testable import upman

/// The TOML reader behind `--config` and themes.
@Suite struct TOMLDocumentTests {
    @Test func readsTablesAndValues() async throws {
        let doc = try TOMLDocument(parsing: """
            # upman
            port = 9090
            host = "127.0.0.1"   # loopback
            jobs = ["sha256", 'exec']
            ratio = 0.5
            debug = false

            [colors]
            "status.failed" = "red"
            pending.bold = true
            name = "caf\\u00e9 \\"q\\""
            """)
        #expect(doc["port"] == .integer(9090))
        #expect(doc["host"] == .string("127.0.0.1"))
        #expect(doc["jobs"] == .array([.string("sha256"), .string("exec")]))
        #expect(doc["ratio"] == .float(0.5))
        #expect(doc["debug"] == .bool(false))
        #expect(doc["colors.status.failed"] == .string("red"))
        #expect(doc["colors.pending.bold"] == .bool(true))
        #expect(doc["colors.name"] == .string("café \"q\""))
    }

    @Test func errorsNameTheLine() {
        for (text, line) in [("a = 1\nb = \n", 2), ("x = nope", 1), ("a = \"open", 1), ("a = 1\na = 2", 2), ("[t\nb=1", 1), ("a = 1 2", 1)] {
            do {
                _ = try TOMLDocument(parsing: text)
                Issue.record("accepted: \(text)")
            } catch let error as TOMLDocument.ParseError {
                #expect(error.line == line, "\(text)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
