import Foundation
import OpenAPIKit30
import Testing
import UploadModel
import Yams
@testable import UploadServer

/// The served document decoded and validated by OpenAPIKit, and checked against the server's own
/// tables: actions, error codes and job kinds.
@Suite struct OpenAPIConformanceTests {
    /// The served document's checks, decoded once for all tests (``decodesAndPassesOpenAPIKitsValidation()``
    /// decodes it again and shows why, when it does not decode).
    func conformance() throws -> OpenAPIConformance {
        try #require(OpenAPIConformance.shared, "the served document does not decode")
    }

    /// The document's YAML as plain dictionaries, for the parts OpenAPIKit does not keep (the properties
    /// beside a `oneOf`).
    /// Never changed after it is loaded, so shared reads are safe.
    nonisolated(unsafe) static let rawDocument: Any? = try? Yams.load(yaml: OpenAPIDocument.yaml)

    /// The node at `path` in ``rawDocument``.
    func raw(_ path: String...) throws -> Any? {
        var node = try #require(Self.rawDocument, "the served document is not YAML")
        for key in path { node = try #require((node as? [String: Any])?[key], "no \(path.joined(separator: "."))") }
        return node
    }

    /// The name a `$ref` schema points to.
    static func referenceName(_ schema: JSONSchema) -> String? {
        guard case .reference(let reference, _) = schema.value else { return nil }
        return reference.name
    }

    @Test func decodesAndPassesOpenAPIKitsValidation() throws {
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: OpenAPIDocument.yaml)
        // strict: every warning OpenAPIKit raises while decoding or validating is an error here.
        try document.validate(strict: true)
        #expect(document.openAPIVersion == .v3_0_3)
    }

    @Test func everyRequiredPropertyIsDeclared() throws {
        var undeclared: [String] = []
        func walk(_ node: Any?, _ path: String) {
            if let dictionary = node as? [String: Any] {
                if let required = dictionary["required"] as? [String], let properties = dictionary["properties"] as? [String: Any] {
                    undeclared += required.filter { properties[$0] == nil }.map { "\(path).\($0)" }
                }
                for (key, value) in dictionary { walk(value, "\(path).\(key)") }
            } else if let array = node as? [Any] {
                for (index, value) in array.enumerated() { walk(value, "\(path)[\(index)]") }
            }
        }
        walk(try raw(), "")
        #expect(undeclared == [], "required but not in properties")
    }

    /// The served `JobKind` enum is the job-kind registry's list, whatever the file's line says (a
    /// new kind is its file and one line in ``JobKinds/all``; the document follows).
    @Test func servesTheRegistrysJobKinds() throws {
        #expect(OpenAPIDocument.jobKinds == JobKinds.names)
        #expect(OpenAPIDocument.yaml == OpenAPIDocument.yaml(jobKinds: JobKinds.names))
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: OpenAPIDocument.yaml)
        let jobKind = try #require(document.components.schemas["JobKind"])
        #expect(jobKind.allowedValues?.map { $0.value as? String } == JobKinds.names)
    }

    @Test(arguments: [
        ["sha256"], ["sha256", "content-type", "exec", "thumbnail"], ["on", "null", "1", "a b", "x: y", #"q"uote"#, "back\\slash", "ü"],
    ])
    func jobKindEnumIsReplacedByTheGivenList(kinds: [String]) throws {
        let yaml = OpenAPIDocument.yaml(jobKinds: kinds)
        let changed = zip(yaml.split(separator: "\n", omittingEmptySubsequences: false),
                          OpenAPIDocument.file.split(separator: "\n", omittingEmptySubsequences: false)).filter { $0 != $1 }
        #expect(changed.count == 1, "exactly the enum line changes")
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: yaml)
        let jobKind = try #require(document.components.schemas["JobKind"])
        #expect(jobKind.allowedValues?.map { $0.value as? String } == kinds)
        let job = try #require(document.components.schemas["ProcessingJob"]?.objectContext)
        #expect(job.properties["kind"] == .reference(.component(named: "JobKind")))
    }

    @Test func everyActionHasItsRequestAndResponseSchemas() throws {
        let conformance = try conformance()
        let schemas = conformance.document.components.schemas
        let request = try #require(schemas["ControllerRequest"])
        let mapping = try #require(request.discriminator?.mapping)
        #expect(Set(mapping.keys) == Set(ControllerAction.names), "the discriminator maps exactly the server's actions")
        guard case .one(let requests, _) = request.value else {
            Issue.record("ControllerRequest is not a oneOf")
            return
        }
        let requestNames = Set(requests.compactMap(Self.referenceName))
        for action in ControllerAction.names {
            let target = try #require(mapping[action], "\(action) has no request schema")
            let name = try #require(target.split(separator: "/").last.map(String.init))
            #expect(target == "#/components/schemas/\(name)" && schemas[.init(stringLiteral: name)] != nil, "\(action) maps to \(target)")
            #expect(requestNames.contains(name), "ControllerRequest's oneOf lacks \(name)")
            let actionEnum = try raw("components", "schemas", name, "properties", "action", "enum") as? [String]
            #expect(actionEnum == [action], "\(name).action must be enum [\(action)]")
        }

        #expect(Set(conformance.actionResponses.keys) == Set(ControllerAction.names), "x-action-responses names exactly the server's actions")
        let response = try #require(schemas["ControllerResponse"])
        guard case .one(let responses, _) = response.value else {
            Issue.record("ControllerResponse is not a oneOf")
            return
        }
        let responseNames = Set(responses.compactMap(Self.referenceName))
        #expect(Set(conformance.actionResponses.values.flatMap { $0 }) == responseNames,
                "ControllerResponse's oneOf lists exactly the schemas of x-action-responses")
        for name in responseNames { #expect(schemas[.init(stringLiteral: name)] != nil, "no schema \(name)") }
    }

    @Test func theControllersTableAgreesWithXActionResponses() throws {
        let conformance = try conformance()
        let operation = try #require(conformance.operation(method: "POST", path: OpenAPIConformance.controllerPath))
        let description = try #require(operation.description)
        var table: [String: [String]] = [:]
        for line in description.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, ControllerAction.named(cells[0]) != nil else { continue }
            // The backticked names in the response cell that are schemas (`files` in initiate's row is a field).
            table[cells[0]] = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 && conformance.validator.schema(named: String($0.element)) != nil }.map { String($0.element) }
        }
        #expect(table == conformance.actionResponses, "the Markdown table and x-action-responses differ")
    }

    @Test func theRouteServesTheDocument() async throws {
        let server = try await TestServer.start()
        let reply = try await server.send(.GET, "/api/v1/openapi.yaml")
        #expect(reply.status == 200)
        #expect(reply.text == OpenAPIDocument.yaml)
        await server.finish()
    }

    @Test func errorCodesAreExactlyTheServersWithTheirStatuses() throws {
        let conformance = try conformance()
        let server = Dictionary(uniqueKeysWithValues: UploadError.Code.all.map { ($0.rawValue, $0.httpStatus) })
        #expect(conformance.errorStatuses == server)
        let code = try #require(raw("components", "schemas", "ErrorResponse", "properties", "error", "properties", "code", "enum") as? [String])
        #expect(Set(code) == Set(server.keys))
        #expect(code.count == server.count)
    }

    @Test func everyEventNamesItsDataSchemas() throws {
        let conformance = try conformance()
        let events = try #require(raw("components", "schemas", "ServerSentEvent", "properties", "event", "enum") as? [String])
        #expect(Set(conformance.eventData.keys) == Set(events))
        #expect(Set(events) == Set(EventKind.allCases.map(\.rawValue) + ["reset"]))
        for name in conformance.eventData.values.flatMap({ $0 }) {
            #expect(conformance.validator.schema(named: name) != nil, "no schema \(name)")
        }
    }

    @Test func aWrongAnswerIsReportedWithActionStatusPathAndExpectation() throws {
        let conformance = try conformance()
        let request = Data(#"{"action":"delete","sessionId":"ses_1"}"#.utf8)
        func check(_ status: Int, _ body: String) -> [String] {
            conformance.problems(method: "POST", url: "http://127.0.0.1:1/api/v1/controller", requestBody: request, status: status,
                                 contentType: "application/json", body: Data(body.utf8))
        }
        #expect(check(200, #"{"deleted":true}"#) == [])
        let wrong = check(200, #"{"deleted":"yes"}"#)
        #expect(wrong.contains { $0.contains("action 'delete' → 200") && $0.contains("$.deleted: expected boolean, found string \"yes\"") },
                "\(wrong)")
        let other = check(200, #"{"group":{"id":"grp_1"}}"#)
        #expect(other.contains { $0.contains("action 'delete' → 200 (DeleteResponse): $: missing required property 'deleted'") }, "\(other)")
        #expect(check(404, #"{"error":{"code":"notFound","message":"no session"}}"#) == [])
        let status = check(404, #"{"error":{"code":"conflict","message":"x"}}"#)
        #expect(status.contains { $0.contains("error code 'conflict' is documented with status 409") }, "\(status)")
        let unknown = check(400, #"{"error":{"code":"oops","message":"x"}}"#)
        #expect(unknown.contains { $0.contains("$.error.code: expected one of") }, "\(unknown)")
        let undocumented = check(418, #"{"error":{"code":"badRequest","message":"x"}}"#)
        #expect(undocumented.contains { $0.contains("lists no response 418") }, "\(undocumented)")
        let event = conformance.problems(event: "job", data: #"{"id":"job_1","kind":"thumbnail"}"#)
        #expect(event.count == 1 && event[0].contains("matches none of ProcessingJob, DeletedEntity"), "\(event)")
    }
}
