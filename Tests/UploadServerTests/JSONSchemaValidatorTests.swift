import Foundation
import OpenAPIKit30
import Testing
import Yams

/// The schema validator behind the OpenAPI conformance checks, on a small document of its own: each
/// case breaks one rule on purpose and names the message it must give.
@Suite struct JSONSchemaValidatorTests {
    static let yaml = #"""
    openapi: 3.0.3
    info: {title: validator, version: '1'}
    paths: {}
    components:
      schemas:
        Thing:
          type: object
          additionalProperties: false
          required: [id, count, state]
          properties:
            id: {type: string, pattern: '^t_', maxLength: 8}
            count: {type: integer, minimum: 0}
            ratio: {type: number, maximum: 1, exclusiveMaximum: true}
            state: {$ref: '#/components/schemas/State'}
            note: {type: string, nullable: true}
            tags: {type: array, items: {type: string}, maxItems: 2, uniqueItems: true}
            at: {type: string, format: date-time}
            url: {type: string, format: uri}
            flag: {type: boolean}
        State: {type: string, enum: [OPEN, SHUT]}
        Either:
          oneOf:
            - $ref: '#/components/schemas/Thing'
            - type: object
              required: [gone]
              properties: {gone: {type: boolean, enum: [true]}}
        Loose:
          anyOf: [{type: string}, {type: integer}]
        Twice:
          oneOf: [{type: integer}, {type: number}]
        Counts:
          type: object
          additionalProperties: {type: integer}
        Both:
          allOf:
            - $ref: '#/components/schemas/Counts'
            - {type: object, required: [a]}
        Broken:
          $ref: '#/components/schemas/Missing'
        Open:
          type: object
          properties: {a: {type: integer}}
    """#

    static let validator: JSONSchemaValidator = {
        let document = try! YAMLDecoder().decode(OpenAPI.Document.self, from: yaml)
        return JSONSchemaValidator(components: document.components)
    }()

    static let thing = #"{"id":"t_1","count":3,"state":"OPEN","note":null,"tags":["a"],"at":"2026-11-25T02:15:13.123Z","url":"http://h/x","flag":true,"ratio":0.5}"#

    @Test func undeclaredPropertiesAreProblemsOnlyWhenAsked() throws {
        let value = try JSONValue.parse(Data(#"{"a":1,"b":2}"#.utf8))
        let open = try #require(Self.validator.schema(named: "Open"))
        #expect(Self.validator.problems(value, open) == [])
        var strict = Self.validator
        strict.undeclaredPropertiesAreProblems = true
        #expect(strict.problems(value, open) == ["$: property 'b' is not declared (found 2)"])
    }

    /// `json` against the schema `schema`: nil when it must conform, else a text one problem must contain.
    @Test(arguments: [
        ("Thing", thing, nil),
        ("Thing", #"{"id":"t_1","count":0,"state":"SHUT"}"#, nil),
        ("Thing", #"{"id":"t_1","count":"3","state":"OPEN"}"#, "$.count: expected integer, found string \"3\""),
        ("Thing", #"{"id":"t_1","count":1.5,"state":"OPEN"}"#, "$.count: expected integer, found number 1.5"),
        ("Thing", #"{"id":"t_1","count":-1,"state":"OPEN"}"#, "$.count: expected >= 0.0, found -1.0"),
        ("Thing", #"{"id":"t_1","state":"OPEN"}"#, "$: missing required property 'count'"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","extra":1}"#, "$: unexpected property 'extra'"),
        ("Thing", #"{"id":"x_1","count":1,"state":"OPEN"}"#, "$.id: expected a string matching /^t_/"),
        ("Thing", #"{"id":"t_123456789","count":1,"state":"OPEN"}"#, "$.id: expected at most 8 characters"),
        ("Thing", #"{"id":"t_1","count":1,"state":"AJAR"}"#, "$.state: expected one of \"OPEN\", \"SHUT\", found \"AJAR\""),
        ("Thing", #"{"id":"t_1","count":1,"state":null}"#, "$.state: expected string, found null"),
        ("Thing", #"{"id":"t_1","count":1,"state":3}"#, "$.state: expected string, found integer 3"),
        ("Thing", #"{"id":null,"count":1,"state":"OPEN"}"#, "$.id: expected string, found null"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","tags":["a",2]}"#, "$.tags[1]: expected string, found integer 2"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","tags":["a","b","c"]}"#, "$.tags: expected at most 2 items"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","tags":["a","a"]}"#, "$.tags: expected unique items"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","ratio":1}"#, "$.ratio: expected < 1.0"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","at":"yesterday"}"#, "$.at: expected a date-time"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","url":"no scheme"}"#, "$.url: expected a uri"),
        ("Thing", #"{"id":"t_1","count":1,"state":"OPEN","flag":1}"#, "$.flag: expected boolean, found integer 1"),
        ("Thing", #"[1]"#, "$: expected object, found array"),
        ("Either", #"{"gone":true}"#, nil),
        ("Either", #"{"gone":false}"#, "$: matches none of oneOf [Thing: "),
        ("Twice", #"1"#, "$: expected exactly one of oneOf [integer, number], matches integer and number"),
        ("Twice", #"1.5"#, nil),
        ("Loose", #"true"#, "$: matches none of anyOf"),
        ("Loose", #"7"#, nil),
        ("Counts", #"{"a":1,"b":2}"#, nil),
        ("Counts", #"{"a":"1"}"#, "$.a: expected integer"),
        ("Both", #"{"b":1}"#, "$: missing required property 'a'"),
        ("Both", #"{"a":1}"#, nil),
        ("Broken", #"{}"#, "resolves to nothing"),
    ] as [(String, String, String?)])
    func checks(schema: String, json: String, expected: String?) throws {
        let value = try JSONValue.parse(Data(json.utf8))
        let problems = Self.validator.problems(value, try #require(Self.validator.schema(named: schema)))
        if let expected {
            #expect(problems.contains { $0.contains(expected) }, "\(problems)")
        } else {
            #expect(problems == [])
        }
    }
}
