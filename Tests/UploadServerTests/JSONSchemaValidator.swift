import Foundation
import OpenAPIKit30

/// Checks JSON values against OpenAPIKit30 schemas, resolving `$ref`s through a document's components.
///
/// It covers what upman's document uses: `type` (object, array, string, integer, number, boolean),
/// `properties`, `required`, `additionalProperties`, `minProperties`/`maxProperties`, `items`,
/// `minItems`/`maxItems`/`uniqueItems`, `enum`, `nullable`, `minimum`/`maximum` (exclusive too),
/// `minLength`/`maxLength`/`pattern`, the formats `date-time`, `uri` and `int32`, `allOf`, `oneOf`, `anyOf`,
/// `not` and `$ref` to `#/components/schemas/...`. Other formats are not checked. Keywords that OpenAPIKit
/// drops when it decodes a schema (siblings of `allOf`/`oneOf`/`anyOf` other than the core ones such as
/// `nullable` and `enum`) cannot be checked here; none of the response schemas has such siblings.
struct JSONSchemaValidator: Sendable {
    /// Where `$ref`s point.
    let components: OpenAPI.Components
    /// Whether a property an object schema does not declare is a problem even when the schema does not
    /// say `additionalProperties: false` (JSON Schema allows it then; a document that describes every
    /// field its server sends does not).
    var undeclaredPropertiesAreProblems = false

    /// Each way `value` fails `schema`, one line each naming the JSON path (`$.session.parts[0].etag`)
    /// and what was expected there; empty when `value` conforms.
    func problems(_ value: JSONValue, _ schema: JSONSchema, at path: String = "$") -> [String] {
        problems(value, schema, at: path, depth: 0)
    }

    /// Whether `value` conforms to `schema`.
    func conforms(_ value: JSONValue, _ schema: JSONSchema) -> Bool {
        problems(value, schema).isEmpty
    }

    /// The schema `#/components/schemas/NAME`, if the document has it.
    func schema(named name: String) -> JSONSchema? {
        OpenAPI.ComponentKey(rawValue: name).flatMap { components.schemas[$0] }
    }

    /// ``problems(_:_:at:)`` `depth` `$ref`s deep: a `$ref` resolved, then the type and keywords, then `enum`.
    private func problems(_ value: JSONValue, _ schema: JSONSchema, at path: String, depth: Int) -> [String] {
        if case .reference(let reference, _) = schema.value {
            guard depth < 64 else { return ["\(path): $ref cycle through \(reference.absoluteString)"] }
            guard let target = components[reference] else { return ["\(path): $ref \(reference.absoluteString) resolves to nothing"] }
            return problems(value, target, at: path, depth: depth + 1)
        }
        if value == .null, schema.nullable { return [] }
        let found = typeProblems(value, schema, at: path, depth: depth + 1)
        if found.isEmpty, let allowed = schema.allowedValues {
            let values = allowed.compactMap { JSONValue(literal: $0.value) }
            if !values.contains(where: { Self.equal($0, value) }) {
                return ["\(path): expected one of \(values.map(\.description).joined(separator: ", ")), found \(value)"]
            }
        }
        return found
    }

    /// What `schema`'s type and its keywords (all but `enum` and `nullable`) find wrong with `value`.
    private func typeProblems(_ value: JSONValue, _ schema: JSONSchema, at path: String, depth next: Int) -> [String] {
        switch schema.value {
        case .boolean:
            guard case .bool = value else { return [mismatch(path, "boolean", value)] }
            return []
        case .integer(let core, let context):
            guard let number = value.numeric, number.rounded() == number else { return [mismatch(path, "integer", value)] }
            var found = bounds(path, number, minimum: context.minimum.map { (Double($0.value), $0.exclusive) },
                               maximum: context.maximum.map { (Double($0.value), $0.exclusive) })
            if core.format == .int32, Int32(exactly: number) == nil { found.append("\(path): expected an int32, found \(value)") }
            return found
        case .number(_, let context):
            guard let number = value.numeric else { return [mismatch(path, "number", value)] }
            return bounds(path, number, minimum: context.minimum.map { ($0.value, $0.exclusive) },
                          maximum: context.maximum.map { ($0.value, $0.exclusive) })
        case .string(let core, let context):
            guard case .string(let text) = value else { return [mismatch(path, "string", value)] }
            return stringProblems(path, text, format: core.format, context)
        case .object(_, let context):
            guard case .object(let members) = value else { return [mismatch(path, "object", value)] }
            return objectProblems(path, members, context, depth: next)
        case .array(_, let context):
            guard case .array(let elements) = value else { return [mismatch(path, "array", value)] }
            var found: [String] = []
            if elements.count < context.minItems { found.append("\(path): expected at least \(context.minItems) items, found \(elements.count)") }
            if let maximum = context.maxItems, elements.count > maximum {
                found.append("\(path): expected at most \(maximum) items, found \(elements.count)")
            }
            if context.uniqueItems,
               elements.indices.contains(where: { index in elements[..<index].contains { Self.equal($0, elements[index]) } }) {
                found.append("\(path): expected unique items")
            }
            if let items = context.items {
                for (index, element) in elements.enumerated() {
                    found += problems(element, items, at: "\(path)[\(index)]", depth: next)
                }
            }
            return found
        case .all(let schemas, _):
            return schemas.flatMap { problems(value, $0, at: path, depth: next) }
        case .one(let schemas, _):
            let results = schemas.map { problems(value, $0, at: path, depth: next) }
            let matches = results.filter(\.isEmpty).count
            if matches == 1 { return [] }
            if matches > 1 {
                let names = zip(schemas, results).filter { $0.1.isEmpty }.map { name($0.0) }
                let all = schemas.map(name).joined(separator: ", ")
                return ["\(path): expected exactly one of oneOf [\(all)], matches \(names.joined(separator: " and "))"]
            }
            return [none(path, "oneOf", schemas, results)]
        case .any(let schemas, _):
            let results = schemas.map { problems(value, $0, at: path, depth: next) }
            return results.contains(where: \.isEmpty) ? [] : [none(path, "anyOf", schemas, results)]
        case .not(let negated, _):
            return problems(value, negated, at: path, depth: next).isEmpty ? ["\(path): expected not \(name(negated)), found \(value)"] : []
        case .fragment:
            return []
        case .reference:
            return []  // resolved before the type is looked at
        }
    }

    /// `required`, `properties`, `additionalProperties` and the property counts of an object.
    private func objectProblems(_ path: String, _ members: [String: JSONValue], _ context: JSONSchema.ObjectContext, depth: Int) -> [String] {
        var found: [String] = []
        for (name, property) in context.properties {
            if let member = members[name] {
                found += problems(member, property, at: "\(path).\(name)", depth: depth)
            } else if property.required {
                found.append("\(path): missing required property '\(name)'")
            }
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) where context.properties[name] == nil {
            switch context.additionalProperties {
            case .a(false)?: found.append("\(path): unexpected property '\(name)' (additionalProperties: false)")
            case .b(let schema)?: found += problems(member, schema, at: "\(path).\(name)", depth: depth)
            case nil where undeclaredPropertiesAreProblems:
                found.append("\(path): property '\(name)' is not declared (found \(member))")
            default: break
            }
        }
        // minProperties counts the required properties too: a missing one is reported once, above.
        if members.count < context.minProperties, context.requiredProperties.allSatisfy({ members[$0] != nil }) {
            found.append("\(path): expected at least \(context.minProperties) properties")
        }
        if let maximum = context.maxProperties, members.count > maximum { found.append("\(path): expected at most \(maximum) properties") }
        return found
    }

    /// The length, `pattern` and format of a string.
    private func stringProblems(
        _ path: String, _ text: String, format: JSONTypeFormat.StringFormat, _ context: JSONSchema.StringContext
    ) -> [String] {
        var found: [String] = []
        let shown = JSONValue.string(text)
        if text.count < context.minLength { found.append("\(path): expected at least \(context.minLength) characters, found \(shown)") }
        if let maximum = context.maxLength, text.count > maximum { found.append("\(path): expected at most \(maximum) characters, found \(shown)") }
        if let pattern = context.pattern {
            if let expression = try? NSRegularExpression(pattern: pattern) {
                if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append("\(path): expected a string matching /\(pattern)/, found \(shown)")
                }
            } else {
                found.append("\(path): the schema's pattern /\(pattern)/ does not compile")
            }
        }
        switch format {
        case .dateTime where text.range(of: Self.dateTime, options: .regularExpression) == nil:
            found.append("\(path): expected a date-time (RFC 3339), found \(shown)")
        case .other("uri") where URL(string: text)?.scheme == nil:
            found.append("\(path): expected a uri with a scheme, found \(shown)")
        default: break
        }
        return found
    }

    private static let dateTime = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"#

    /// `minimum` and `maximum` (each exclusive or not) of a number.
    private func bounds(_ path: String, _ number: Double, minimum: (Double, Bool)?, maximum: (Double, Bool)?) -> [String] {
        var found: [String] = []
        if let (bound, exclusive) = minimum, exclusive ? number <= bound : number < bound {
            found.append("\(path): expected \(exclusive ? ">" : ">=") \(bound), found \(number)")
        }
        if let (bound, exclusive) = maximum, exclusive ? number >= bound : number > bound {
            found.append("\(path): expected \(exclusive ? "<" : "<=") \(bound), found \(number)")
        }
        return found
    }

    /// "expected TYPE, found TYPE VALUE" at `path`.
    private func mismatch(_ path: String, _ expected: String, _ value: JSONValue) -> String {
        "\(path): expected \(expected), found \(value.typeName) \(value)"
    }

    /// A `oneOf`/`anyOf` that no branch matched, with each branch's first problems.
    private func none(_ path: String, _ keyword: String, _ schemas: [JSONSchema], _ results: [[String]]) -> String {
        let reasons = zip(schemas, results).map { schema, problems in
            "\(name(schema)): " + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; ..." : "")
        }
        return "\(path): matches none of \(keyword) [\(reasons.joined(separator: " | "))]"
    }

    /// A schema's name for messages: its `$ref`'s name, else its type.
    private func name(_ schema: JSONSchema) -> String {
        if case .reference(let reference, _) = schema.value { return reference.name ?? reference.absoluteString }
        return schema.jsonType?.rawValue ?? "schema"
    }

    /// JSON equality, with 1 and 1.0 the same number.
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = left.numeric, let b = right.numeric { return a == b }
        switch (left, right) {
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: return left == right
        }
    }
}
