/// The registry of processing job kinds: the one list the executor, the validation of `jobs`, the
/// help text, the OpenAPI document and the README's table read.
public enum JobKinds {
    /// Every kind upman knows, in the order help and documentation list them. Add a kind here.
    public static let all: [any JobKind] = [SHA256Job(), ContentTypeJob(), ExecJob()]

    /// The names of ``all``, in order.
    public static var names: [String] { all.map(\.name) }

    /// The kind called `name`, or nil when there is none.
    public static func named(_ name: String) -> (any JobKind)? {
        all.first { $0.name == name }
    }

    /// Why `configuration`'s `jobs` cannot run: names no kind has, or a kind whose needs are not
    /// met; nil when every listed kind can run.
    public static func problem(in configuration: ServerConfiguration) -> String? {
        let unknown = configuration.jobs.filter { named($0) == nil }
        if !unknown.isEmpty {
            return "unknown job kind(s): \(unknown.joined(separator: ", ")); known: \(names.joined(separator: ", "))"
        }
        return configuration.jobs.lazy.compactMap { named($0)?.problem(in: configuration) }.first
    }

    /// The README's table of job kinds (Markdown): name, what it does, what it records, needs.
    public static var markdownTable: String {
        var lines = ["| kind | what it does | output | needs |", "| --- | --- | --- | --- |"]
        for kind in all {
            lines.append("| `\(kind.name)` | \(kind.summary) | \(kind.records) | \(kind.needs ?? "nothing more") |")
        }
        return lines.joined(separator: "\n")
    }
}
