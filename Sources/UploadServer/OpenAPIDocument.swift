/// The OpenAPI 3.0.3 description of upman's HTTP API, served at `GET /api/v1/openapi.yaml`.
///
/// The document is the resource `openapi.yaml` beside this file, embedded in the binary at build time.
/// The one part the server fills in is the `enum` of the `JobKind` schema: the job kinds it knows.
enum OpenAPIDocument {
    /// The job kinds the served document lists: the registry's (``JobKinds``).
    static var jobKinds: [String] { JobKinds.names }

    /// The served document: ``file`` with ``jobKinds`` as `JobKind`'s `enum`.
    static let yaml: String = Self.yaml(jobKinds: Self.jobKinds)

    /// The document exactly as `openapi.yaml` holds it.
    static let file = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)

    /// ``file`` with the `enum` line of the `JobKind` schema replaced by `jobKinds`, in order.
    ///
    /// The line is the one `enum: [...]` directly inside `components.schemas.JobKind` (six spaces in);
    /// each kind is written plain when YAML reads it back as that same string, else double-quoted.
    static func yaml(jobKinds: [String]) -> String {
        var lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let schema = lines.firstIndex(of: "    JobKind:") else {
            preconditionFailure("openapi.yaml has no JobKind schema")
        }
        let end = lines[(schema + 1)...].firstIndex { !$0.isEmpty && !$0.hasPrefix("     ") } ?? lines.endIndex
        guard let line = lines[(schema + 1)..<end].firstIndex(where: { $0.hasPrefix("      enum: [") }) else {
            preconditionFailure("openapi.yaml's JobKind schema has no 'enum: [...]' line")
        }
        lines[line] = "      enum: [" + jobKinds.map(scalar).joined(separator: ", ") + "]"
        return lines.joined(separator: "\n")
    }

    /// `text` as a YAML flow scalar that reads back as the string `text`.
    private static func scalar(_ text: String) -> String {
        let plain = text.first.map { $0.isLetter && $0.isASCII } ?? false
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." }
            && !["y", "n", "yes", "no", "on", "off", "true", "false", "null"].contains(text.lowercased())
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
