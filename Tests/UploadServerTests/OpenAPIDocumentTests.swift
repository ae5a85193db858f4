import TestSupport
import Foundation
import Testing
import UploadModel
@testable import UploadServer

/// The OpenAPI document names every action, error code and route, is valid OpenAPI 3.0.3, and matches the Swift wire types.
@Suite struct OpenAPIDocumentTests {
    let yaml = OpenAPIDocument.yaml

    static let paths = [
        "/api/v1/controller", "/api/v1/events", "/storage/{sessionId}/{partNumber}", "/healthz", "/metrics",
        "/api/v1/openapi.yaml", "/api/v1/storage-webhook", "/api/v1/snapshot",
    ]

    /// For each action, a body with exactly the fields the Swift request type requires.
    static let minimalBodies: [String: String] = [
        "createGroup": #"{"action":"createGroup","name":"photos"}"#,
        "initiate": #"{"action":"initiate","fileName":"a.jpg","size":42}"#,
        "signParts": #"{"action":"signParts","sessionId":"ses_1","partNumbers":[1,2]}"#,
        "partUploaded": #"{"action":"partUploaded","sessionId":"ses_1","partNumber":1,"etag":"abc","size":8388608}"#,
        "partsUploaded": #"{"action":"partsUploaded","sessionId":"ses_1","parts":[{"partNumber":1,"etag":"abc","size":8388608}]}"#,
        "complete": #"{"action":"complete","sessionId":"ses_1"}"#,
        "abort": #"{"action":"abort","sessionId":"ses_1"}"#,
        "retry": #"{"action":"retry"}"#,
        "cancel": #"{"action":"cancel"}"#,
        "delete": #"{"action":"delete"}"#,
        "status": #"{"action":"status"}"#,
        "eventsToken": #"{"action":"eventsToken"}"#,
    ]

    /// For each action, a body with every field it takes.
    static let fullBodies: [String: String] = [
        "createGroup": #"{"action":"createGroup","name":"photos","description":"holiday"}"#,
        "initiate": #"{"action":"initiate","groupId":"grp_1","fileName":"a.jpg","size":20000000,"contentType":"image/jpeg","#
            + #""sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","partSize":8388608}"#,
        "signParts": #"{"action":"signParts","sessionId":"ses_1","partNumbers":[1,2],"expiresIn":600}"#,
        "partUploaded": #"{"action":"partUploaded","sessionId":"ses_1","partNumber":1,"etag":"abc","size":8388608}"#,
        "partsUploaded": #"{"action":"partsUploaded","sessionId":"ses_1","parts":[{"partNumber":1,"etag":"\"abc\"","size":8388608,"checksum":"yZRlqg=="},{"partNumber":2,"etag":"def","size":1}]}"#,
        "complete": #"{"action":"complete","sessionId":"ses_1"}"#,
        "abort": #"{"action":"abort","sessionId":"ses_1"}"#,
        "retry": #"{"action":"retry","sessionId":"ses_1","partNumbers":[2]}"#,
        "cancel": #"{"action":"cancel","groupId":"grp_1","reason":"stuck"}"#,
        "delete": #"{"action":"delete","sessionId":"ses_1"}"#,
        "status": #"{"action":"status","groupId":"grp_1"}"#,
        "eventsToken": #"{"action":"eventsToken"}"#,
    ]

    @Test func startsWithTheOpenAPIVersion() {
        #expect(yaml.hasPrefix("openapi: 3.0.3\n"))
    }

    @Test func everyActionIsAnActionEnumValue() {
        for action in ControllerAction.names {
            #expect(yaml.contains("enum: [\(action)]"), "no request schema has action enum [\(action)]")
            #expect(yaml.contains("\n          \(action): '#/components/schemas/"), "the discriminator does not map \(action)")
        }
    }

    @Test func everyErrorCodeIsListedWithItsStatus() {
        let lines = yaml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for code in UploadError.Code.all {
            #expect(lines.contains("- \(code.rawValue)"), "\(code.rawValue) is not an enum value")
            let entry = lines.firstIndex(of: "- code: \(code.rawValue)")
            #expect(entry != nil, "\(code.rawValue) is not in x-error-codes")
            if let entry {
                #expect(lines[entry + 1] == "status: \(code.httpStatus)", "\(code.rawValue) has the wrong status")
            }
        }
        #expect(!yaml.contains("httpError"))
    }

    @Test func everyRouteIsAPath() {
        for path in Self.paths {
            #expect(yaml.contains("\n  \(path):\n"), "path \(path) is missing")
        }
    }

    @Test func requestSamplesDecodeAsTheSwiftTypesRequire() throws {
        #expect(Set(Self.minimalBodies.keys) == Set(ControllerAction.names))
        #expect(Set(Self.fullBodies.keys) == Set(ControllerAction.names))
        for action in ControllerAction.names {
            let minimal = try #require(Self.minimalBodies[action])
            try Self.decode(action, Data(minimal.utf8))
            try Self.decode(action, Data(try #require(Self.fullBodies[action]).utf8))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(minimal.utf8)) as? [String: Any])
            for key in object.keys {
                var without = object
                without[key] = nil
                let body = try JSONSerialization.data(withJSONObject: without)
                #expect(throws: UploadError.self, "\(action) decodes without \(key)") { try Self.decode(action, body) }
            }
        }
    }

    @Test(.enabled(if: OpenAPIDocumentTests.pythonHas("yaml"), "PyYAML is not installed"))
    func isValidYAMLMatchingTheSwiftLists() async throws {
        let yaml = self.yaml
        let status = try await offPool { try Self.python(["-c", "import yaml,sys; yaml.safe_load(open(sys.argv[1]))"], files: [(yaml, "yaml")]) }
        #expect(status.code == 0, "\(status.output)")
        let expected: [String: Any] = [
            "actions": ControllerAction.names,
            "codes": UploadError.Code.all.map(\.rawValue),
            "statuses": UploadError.Code.all.map(\.httpStatus),
            "paths": Self.paths,
            "bodies": try ControllerAction.names.map { action in
                try JSONSerialization.jsonObject(with: Data(try #require(Self.minimalBodies[action]).utf8))
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: expected)
        let result = try await offPool {
            try Self.python(["-c", Self.structureScript], files: [(yaml, "yaml"), (String(decoding: data, as: UTF8.self), "json")])
        }
        #expect(result.code == 0, "\(result.output)")
    }

    @Test(.enabled(if: OpenAPIDocumentTests.pythonHas("yaml", "openapi_spec_validator"), "openapi_spec_validator is not installed"))
    func isValidOpenAPI() async throws {
        let yaml = self.yaml
        let result = try await offPool {
            try Self.python(
                ["-c", "import yaml,sys; from openapi_spec_validator import validate; validate(yaml.safe_load(open(sys.argv[1])))"],
                files: [(yaml, "yaml")])
        }
        #expect(result.code == 0, "\(result.output)")
    }

    @Test(.enabled(if: OpenAPIDocumentTests.pythonHas("yaml", "openapi_schema_validator"), "openapi_schema_validator is not installed"))
    func swiftJSONMatchesTheSchemas() async throws {
        var cases: [(String, String)] = []
        func add<T: Encodable>(_ schema: String, _ value: T) throws { cases.append((schema, try UploadJSON.string(value))) }
        func response<T: Encodable>(_ schema: String, _ value: T) throws {
            try add(schema, value)
            try add("ControllerResponse", value)
        }
        let time = Timestamp.date(millis: 1_795_000_000_123)
        let error = ErrorDetail(code: "checksumMismatch", message: "Content-MD5 does not match")
        let group = UploadGroup(
            id: "grp_1", userId: "alice", name: "photos", description: "holiday", status: .inProgress, totalFiles: 2,
            completedFiles: 1, failedFiles: 0, totalBytes: 6_000_000_000, bytesUploaded: 42, error: error, createdAt: time,
            actedBy: "alice")
        let bareGroup = UploadGroup(id: "grp_2", userId: "bob", name: "x", createdAt: time)
        let session = UploadSession(
            id: "ses_1", groupId: "grp_1", userId: "alice", fileName: "a/b.jpg", contentType: "image/jpeg",
            size: 6_000_000_000, sha256: String(repeating: "ab", count: 32), objectKey: "alice/grp_1/ses_1/b.jpg",
            uploadId: "up_1", method: .multipart, partSize: 8_388_608, totalParts: 716, completedParts: 1,
            bytesUploaded: 8_388_608, status: .failed, error: error, attempts: 2, createdAt: time, uploadedAt: time,
            completedAt: time, actedBy: "operator")
        let bareSession = UploadSession(
            id: "ses_2", groupId: "grp_2", userId: "bob", fileName: "x", size: 0, objectKey: "bob/grp_2/ses_2/x",
            method: .single, partSize: 0, totalParts: 1, createdAt: time)
        let part = FilePart(
            sessionId: "ses_1", groupId: "grp_1", partNumber: 1, offset: 0, size: 8_388_608, status: .uploaded,
            etag: "9b2cf535f27731c974343645a3985328", attempts: 1, error: error, createdAt: time, uploadedAt: time,
            actedBy: "alice")
        let barePart = FilePart(sessionId: "ses_2", groupId: "grp_2", partNumber: 1, offset: 0, size: 0, createdAt: time)
        let job = ProcessingJob(
            id: "job_1", sessionId: "ses_1", groupId: "grp_1", kind: "sha256", position: 0, status: .failed, attempts: 3,
            output: "digest", error: error, createdAt: time, runAfter: time, startedAt: time, finishedAt: time,
            actedBy: "system")
        let bareJob = ProcessingJob(id: "job_2", sessionId: "ses_2", groupId: "grp_2", kind: "content-type", createdAt: time)

        try add("UploadGroup", group)
        try add("UploadGroup", bareGroup)
        try add("UploadSession", session)
        try add("UploadSession", bareSession)
        try add("FilePart", part)
        try add("FilePart", barePart)
        try add("ProcessingJob", job)
        try add("ProcessingJob", bareJob)
        try add("ErrorDetail", error)
        try add("DeletedEntity", DeletedEntity(kind: .session, id: "ses_1", groupId: "grp_1"))
        try response("GroupResult", ControllerResponse.GroupResult(group: group))
        try response("InitiateResponse", ControllerResponse.Initiated(
            session: bareSession, method: .single, partSize: 0, totalParts: 1,
            url: "http://127.0.0.1:8080/storage/ses_2/1?expires=1795000000&signature=abc", expiresAt: time))
        try response("InitiateResponse", ControllerResponse.Initiated(
            session: session, method: .multipart, partSize: 8_388_608, totalParts: 716))
        try response("InitiateBatchResponse", ControllerResponse.InitiatedBatch(sessions: [
            ControllerResponse.Initiated(session: bareSession, method: .single, partSize: 0, totalParts: 1,
                                         url: "http://127.0.0.1:8080/storage/ses_2/1?expires=1795000000&signature=abc", expiresAt: time),
            ControllerResponse.Initiated(session: session, method: .multipart, partSize: 8_388_608, totalParts: 716),
        ]))
        try response("PartRecorded", ControllerResponse.PartRecorded(part: barePart, session: bareSession))
        cases.append(("ControllerRequest", #"{"action":"initiate","groupId":"grp_1","files":[{"fileName":"a","size":1,"#
            + #""checksum":{"algorithm":"crc32c","value":"AAAAAA=="},"fingerprint":"f","partSize":8388608},{"fileName":"b","size":0}]}"#))
        try response("SignPartsResponse", ControllerResponse.Signed(parts: [ControllerResponse.SignedPart(
            partNumber: 2, url: "http://127.0.0.1:8080/storage/ses_1/2?expires=1795000000&signature=abc", expiresAt: time,
            offset: 8_388_608, size: 8_388_608)]))
        try response("PartRecorded", ControllerResponse.PartRecorded(part: part))
        try response("PartsRecorded", ControllerResponse.PartsRecorded(parts: [part, barePart]))
        try response("SessionResult", ControllerResponse.SessionResult(session: session))
        try response("RetryResponse", ControllerResponse.Retried(sessions: [session], parts: [part], jobs: [job]))
        try response("RetryResponse", ControllerResponse.Retried(sessions: [], parts: [], jobs: []))
        try response("DeleteResponse", ControllerResponse.Deleted(deleted: true))
        try response("StatusResponse", ControllerResponse.Status(group: group, sessions: [
            ControllerResponse.SessionDetail(session: session, parts: [part, barePart], jobs: [job, bareJob]),
        ]))
        try response("StatusResponse", ControllerResponse.Status(group: nil, sessions: []))
        for code in UploadError.Code.all {
            try add("ErrorResponse", ErrorEnvelope(UploadError(code, "message").detail))
        }
        cases.append(("Health", #"{"status":"ok","latestEventId":7}"#))
        for action in ControllerAction.names {
            // retry, cancel, delete and status need one target besides their action.
            let entry = try #require(ControllerAction.named(action))
            if entry.requestType != ControllerRequest.Target.self {
                cases.append(("ControllerRequest", try #require(Self.minimalBodies[action])))
            }
            cases.append(("ControllerRequest", try #require(Self.fullBodies[action])))
        }
        let json = "[" + cases.map { #"[""# + $0.0 + #"", "# + $0.1 + "]" }.joined(separator: ",") + "]"
        let yaml = self.yaml
        let result = try await offPool { try Self.python(["-c", Self.instanceScript], files: [(yaml, "yaml"), (json, "json")]) }
        #expect(result.code == 0, "\(result.output)")
    }

    // MARK: Helpers

    /// Decodes `body` as the controller does for `action`: its envelope, then its entry in the table.
    static func decode(_ action: String, _ body: Data) throws {
        _ = try RequestDecoder.decode(ControllerRequest.Envelope.self, from: body)
        guard let entry = ControllerAction.named(action) else {
            Issue.record("unknown action \(action)")
            return
        }
        try entry.validate(body)
    }

    /// Checks the parsed document against the lists the Swift code keeps.
    static let structureScript = """
        import json, sys, yaml
        doc = yaml.safe_load(open(sys.argv[1]))
        want = json.load(open(sys.argv[2]))
        problems = []
        if doc.get("openapi") != "3.0.3":
            problems.append("openapi is " + repr(doc.get("openapi")))
        for path in want["paths"]:
            if path not in doc["paths"]:
                problems.append("missing path " + path)
        schemas = doc["components"]["schemas"]
        code = schemas["ErrorResponse"]["properties"]["error"]["properties"]["code"]
        if code["enum"] != want["codes"]:
            problems.append("code enum " + repr(code["enum"]) + " != " + repr(want["codes"]))
        listed = [(entry["code"], entry["status"]) for entry in code["x-error-codes"]]
        if listed != list(zip(want["codes"], want["statuses"])):
            problems.append("x-error-codes " + repr(listed))
        mapping = schemas["ControllerRequest"]["discriminator"]["mapping"]
        if sorted(mapping) != sorted(want["actions"]):
            problems.append("discriminator maps " + repr(sorted(mapping)))
        refs = [item["$ref"] for item in schemas["ControllerRequest"]["oneOf"]]
        if sorted(refs) != sorted(mapping.values()):
            problems.append("oneOf and the discriminator mapping differ")
        for body in want["bodies"]:
            schema = schemas[mapping[body["action"]].split("/")[-1]]
            if schema["properties"]["action"]["enum"] != [body["action"]]:
                problems.append(body["action"] + ": action enum is " + repr(schema["properties"]["action"]["enum"]))
            # A request with two forms (initiate: one file or `files`) requires the first form's fields too.
            required = schema["required"] + (schema["oneOf"][0]["required"] if body["action"] == "initiate" else [])
            if sorted(required) != sorted(body):
                problems.append(body["action"] + ": required " + repr(sorted(required)) + " != " + repr(sorted(body)))
        for problem in problems:
            print(problem)
        sys.exit(1 if problems else 0)
        """

    /// Validates `[schemaName, instance]` pairs against the document's component schemas.
    static let instanceScript = """
        import json, sys, yaml
        from openapi_schema_validator import OAS30Validator, oas30_format_checker
        doc = yaml.safe_load(open(sys.argv[1]))
        failures = 0
        for name, instance in json.load(open(sys.argv[2])):
            schema = {"$ref": "#/components/schemas/" + name, "components": doc["components"]}
            try:
                OAS30Validator(schema, format_checker=oas30_format_checker).validate(instance)
            except Exception as error:
                failures += 1
                print(name + ": " + str(error).splitlines()[0] + " in " + json.dumps(instance)[:400])
        sys.exit(1 if failures else 0)
        """

    /// Whether python3 runs and can import every one of `modules`.
    static func pythonHas(_ modules: String...) -> Bool {
        (try? python(["-c", "import " + modules.joined(separator: ", ")]).code) == 0
    }

    /// Runs python3 from PATH with `arguments` followed by the paths of temporary files holding `files`
    /// (text, extension); returns its exit code and its output and errors together.
    static func python(_ arguments: [String], files: [(String, String)] = []) throws -> (code: Int32, output: String) {
        let paths = files.map { FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).\($0.1)") }
        defer { for path in paths { try? FileManager.default.removeItem(at: path) } }
        for (path, file) in zip(paths, files) {
            try file.0.write(to: path, atomically: true, encoding: .utf8)
        }
        return try runTool(["python3"] + arguments + paths.map(\.path))
    }
}
