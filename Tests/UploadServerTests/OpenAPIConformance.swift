import Foundation
import OpenAPIKit30
import Testing
import Yams
@testable import UploadServer

/// The served OpenAPI document, decoded with OpenAPIKit, and the checks that hold the server's answers
/// to it: the test helpers (``TestServer/send(_:_:headers:body:sourceLocation:)``, ``SSEReader``) pass
/// every answer through here and record each problem as an issue of the test that made the request.
struct OpenAPIConformance: Sendable {
    /// The document as the server serves it.
    let document: OpenAPI.Document
    /// Checks values against the document's schemas.
    let validator: JSONSchemaValidator
    /// `x-action-responses` of `POST /api/v1/controller`: the schemas each action's 200 answer matches.
    let actionResponses: [String: [String]]
    /// `x-event-data` of `ServerSentEvent`: the schemas the `data:` of each `event:` matches.
    let eventData: [String: [String]]
    /// `x-error-codes` of `ErrorResponse`: each error code and its HTTP status.
    let errorStatuses: [String: Int]

    /// The served document's conformance checks, or nil when the document does not decode (the
    /// document's own tests then fail and say why).
    static let shared: OpenAPIConformance? = try? OpenAPIConformance(yaml: OpenAPIDocument.yaml)

    /// The controller's path.
    static let controllerPath = "/api/v1/controller"

    /// Decodes `yaml` and reads its extensions; throws when the document or an extension is malformed.
    init(yaml: String) throws {
        document = try YAMLDecoder().decode(OpenAPI.Document.self, from: yaml)
        validator = JSONSchemaValidator(components: document.components, undeclaredPropertiesAreProblems: true)
        let controller = document.paths[OpenAPI.Path(rawValue: Self.controllerPath)]?.b?.post
        actionResponses = try Self.nameLists(controller?.vendorExtensions["x-action-responses"], "x-action-responses")
        let event = validator.schema(named: "ServerSentEvent")
        eventData = try Self.nameLists(event?.vendorExtensions["x-event-data"], "x-event-data")
        let code = validator.schema(named: "ErrorResponse")?.objectContext?.properties["error"]?.objectContext?.properties["code"]
        guard let entries = code?.vendorExtensions["x-error-codes"]?.value as? [Any] else {
            throw ConformanceError("ErrorResponse.error.code has no x-error-codes list")
        }
        var statuses: [String: Int] = [:]
        for entry in entries {
            guard let entry = entry as? [String: Any], let name = entry["code"] as? String, let status = entry["status"] as? Int else {
                throw ConformanceError("an x-error-codes entry lacks a string code or an integer status: \(entry)")
            }
            statuses[name] = status
        }
        errorStatuses = statuses
    }

    /// Problems of one HTTP answer: its JSON body against the schema the document gives for the
    /// operation and status (per action for the controller's 200), and an error body's code against
    /// its documented status. Each problem names the request, the status, the JSON path and what was
    /// expected; empty when the answer conforms or is not JSON the document describes.
    func problems(method: String, url: String, requestBody: Data?, status: Int, contentType: String?, body: Data) -> [String] {
        let path = URLComponents(string: url)?.path ?? url
        var label = "\(method) \(path) → \(status)"
        let action = path == Self.controllerPath ? requestBody.flatMap { try? JSONValue.parse($0) }.flatMap(Self.action) : nil
        if let action { label = "action '\(action)' → \(status)" }
        guard let operation = operation(method: method, path: path) else {
            // Routes the document does not describe (wrong method, unknown path) still answer errors as ErrorResponse.
            guard status >= 400, contentType?.hasPrefix("application/json") == true else { return [] }
            return errorProblems(label, status: status, body: body, schema: .reference(.component(named: "ErrorResponse")))
        }
        guard let response = response(operation, status: status) else {
            return ["OpenAPI: \(label): the document lists no response \(status) for \(method) \(path)"]
        }
        // An answer to HEAD has no body (RFC 9110 §9.3.2): its status is all there is to check.
        guard method.uppercased() != "HEAD", let schema = jsonSchema(response) else { return [] }
        if status >= 400 { return errorProblems(label, status: status, body: body, schema: schema) }
        guard let value = try? JSONValue.parse(body) else {
            return ["OpenAPI: \(label): the document says JSON, the body is not: \(String(decoding: body.prefix(200), as: UTF8.self))"]
        }
        if path == Self.controllerPath, status == 200 {
            // The action's own schemas first: their problems say more than those of the whole oneOf.
            let found = actionProblems(label, action: action, value: value)
            if !found.isEmpty { return found }
        }
        return validator.problems(value, schema).map { "OpenAPI: \(label): \($0)" }
    }

    /// Records each of ``problems(method:url:requestBody:status:contentType:body:)`` of the served document
    /// as an issue of the current test, at `sourceLocation`.
    static func check(method: String, url: String, requestBody: Data?, status: Int, contentType: String?, body: Data,
                      sourceLocation: SourceLocation) {
        let problems = shared?.problems(method: method, url: url, requestBody: requestBody, status: status, contentType: contentType, body: body)
        for problem in problems ?? [] { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
    }

    /// Problems of one Server-Sent Event: its `data:` against the schemas `x-event-data` names for its `event:`.
    func problems(event: String, data: String) -> [String] {
        let label = "event '\(event)'"
        guard let names = eventData[event] else { return ["OpenAPI: \(label): x-event-data names no such event"] }
        guard let value = try? JSONValue.parse(Data(data.utf8)) else { return ["OpenAPI: \(label): data is not JSON: \(data.prefix(200))"] }
        return matchAny(label, value, names)
    }

    /// The operation for `method` on the document's path template matching `path`.
    func operation(method: String, path: String) -> OpenAPI.Operation? {
        guard let verb = OpenAPI.BuiltinHttpMethod(rawValue: method.uppercased()) else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (template, item) in document.paths {
            let parts = template.components
            guard parts.count == segments.count,
                  zip(parts, segments).allSatisfy({ $0.hasPrefix("{") && $0.hasSuffix("}") && !$1.isEmpty || $0 == $1 })
            else { continue }
            return item.b?.for(verb)
        }
        return nil
    }

    /// The operation's response for `status`: the exact code, else its range (`4XX`), else `default`; `$ref`s resolved.
    private func response(_ operation: OpenAPI.Operation, status: Int) -> OpenAPI.Response? {
        let wanted = ["\(status)", "\(status / 100)XX", "default"]
        for key in wanted {
            if let entry = operation.responses.first(where: { $0.key.rawValue.uppercased() == key.uppercased() })?.value {
                return document.components[entry]
            }
        }
        return nil
    }

    /// The schema of a response's `application/json` content, if it has one.
    private func jsonSchema(_ response: OpenAPI.Response) -> JSONSchema? {
        guard let content = response.content.first(where: { $0.key.rawValue.hasPrefix("application/json") })?.value else { return nil }
        switch content.schema {
        case .a(let reference)?: return .reference(reference)
        case .b(let schema)?: return schema
        case nil: return nil
        }
    }

    /// An error answer against `schema`, and its code against the status `x-error-codes` gives it.
    private func errorProblems(_ label: String, status: Int, body: Data, schema: JSONSchema) -> [String] {
        guard let value = try? JSONValue.parse(body) else {
            return ["OpenAPI: \(label): an error answer must be JSON, the body is: \(String(decoding: body.prefix(200), as: UTF8.self))"]
        }
        var found = validator.problems(value, schema).map { "OpenAPI: \(label): \($0)" }
        if case .object(let members) = value, case .object(let error)? = members["error"], case .string(let code)? = error["code"] {
            if let documented = errorStatuses[code] {
                if documented != status { found.append("OpenAPI: \(label): error code '\(code)' is documented with status \(documented)") }
            } else {
                found.append("OpenAPI: \(label): error code '\(code)' is not in x-error-codes")
            }
        }
        return found
    }

    /// A controller 200 against the schemas `x-action-responses` names for the request's action.
    private func actionProblems(_ label: String, action: String?, value: JSONValue) -> [String] {
        guard let action else { return ["OpenAPI: \(label): a 200 answer to a body with no action name"] }
        guard let names = actionResponses[action] else { return ["OpenAPI: \(label): x-action-responses has no entry for '\(action)'"] }
        return matchAny(label, value, names)
    }

    /// Problems unless `value` matches at least one of the schemas `names`; with one name, its own problems.
    private func matchAny(_ label: String, _ value: JSONValue, _ names: [String]) -> [String] {
        var reasons: [String] = []
        for name in names {
            guard let schema = validator.schema(named: name) else { return ["OpenAPI: \(label): no schema named \(name)"] }
            let problems = validator.problems(value, schema)
            if problems.isEmpty { return [] }
            if names.count == 1 { return problems.map { "OpenAPI: \(label) (\(name)): \($0)" } }
            reasons.append("\(name): " + problems.prefix(3).joined(separator: "; "))
        }
        return ["OpenAPI: \(label): matches none of \(names.joined(separator: ", ")) [\(reasons.joined(separator: " | "))]"]
    }

    /// The `action` of a controller request body.
    private static func action(_ body: JSONValue) -> String? {
        guard case .object(let members) = body, case .string(let action)? = members["action"] else { return nil }
        return action
    }

    /// A `name: [Schema, ...]` extension as a dictionary.
    private static func nameLists(_ value: AnyCodable?, _ name: String) throws -> [String: [String]] {
        guard let dictionary = value?.value as? [String: Any] else { throw ConformanceError("the document has no \(name) map") }
        return try dictionary.mapValues { names in
            guard let names = names as? [String] ?? (names as? [Any])?.compactMap({ $0 as? String }) else {
                throw ConformanceError("\(name) maps to something other than a list of schema names: \(names)")
            }
            return names
        }
    }
}

/// A malformed part of the OpenAPI document that the conformance checks rely on.
struct ConformanceError: Error, CustomStringConvertible {
    /// What is wrong.
    let description: String

    /// Creates the error.
    init(_ description: String) { self.description = description }
}
