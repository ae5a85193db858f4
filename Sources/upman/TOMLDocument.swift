/// A small TOML reader for upman's configuration and themes: tables, `key = value`, strings,
/// integers, floats, booleans, and single-line arrays of those. Keys come out as `table.key`.
struct TOMLDocument: Sendable {
    /// A TOML value.
    enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        case array([Value])
    }

    /// An error naming the line that is wrong.
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Every value by its dotted key.
    private(set) var values: [String: Value] = [:]

    /// Parses `text`.
    init(parsing text: String) throws {
        var table = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var scanner = Scanner(Array(raw.unicodeScalars), line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOfContent { continue }
            if scanner.peek == "[" {
                scanner.advance()
                let name = try scanner.key(until: "]")
                try scanner.expect("]")
                try scanner.expectEndOfLine()
                table = name
                continue
            }
            let key = try scanner.key(until: "=")
            try scanner.expect("=")
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEndOfLine()
            let full = table.isEmpty ? key : table + "." + key
            guard values[full] == nil else { throw ParseError(line: lineNumber, message: "key '\(full)' is defined twice") }
            values[full] = value
        }
    }

    /// The value at a dotted key.
    subscript(key: String) -> Value? { values[key] }

    /// Reads one line.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        let line: Int
        var position = 0

        init(_ scalars: [Unicode.Scalar], line: Int) {
            self.scalars = scalars
            self.line = line
        }

        var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
        var atEndOfContent: Bool { peek == nil || peek == "#" || peek == "\r" }
        mutating func advance() { position += 1 }
        mutating func skipSpaces() { while peek == " " || peek == "\t" { advance() } }

        func error(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            skipSpaces()
            guard peek == scalar else { throw error("expected '\(scalar)'") }
            advance()
        }

        mutating func expectEndOfLine() throws {
            skipSpaces()
            guard atEndOfContent else { throw error("unexpected text after the value") }
        }

        mutating func key(until end: Unicode.Scalar) throws -> String {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek == "\"" {
                    parts.append(try basicString())
                } else {
                    var bare = ""
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
                        bare.unicodeScalars.append(c)
                        advance()
                    }
                    guard !bare.isEmpty else { throw error("expected a key") }
                    parts.append(bare)
                }
                skipSpaces()
                if peek == "." { advance(); continue }
                guard peek == end else { throw error("expected '\(end)' after the key") }
                return parts.joined(separator: ".")
            }
        }

        mutating func value() throws -> Value {
            guard let c = peek else { throw error("expected a value") }
            switch c {
            case "\"": return .string(try basicString())
            case "'": return .string(try literalString())
            case "[": return try array()
            case "t", "f": return try boolean()
            default: return try number()
            }
        }

        mutating func basicString() throws -> String {
            advance()
            var out = ""
            while let c = peek {
                advance()
                if c == "\"" { return out }
                if c == "\\" {
                    guard let e = peek else { break }
                    advance()
                    switch e {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "\\": out += "\\"
                    case "\"": out += "\""
                    case "u", "U":
                        let count = e == "u" ? 4 : 8
                        var hex = ""
                        for _ in 0..<count {
                            guard let h = peek else { throw error("short \\\(e) escape") }
                            hex.unicodeScalars.append(h)
                            advance()
                        }
                        guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                            throw error("bad \\\(e) escape")
                        }
                        out.unicodeScalars.append(scalar)
                    default: throw error("unknown escape \\\(e)")
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            throw error("unterminated string")
        }

        mutating func literalString() throws -> String {
            advance()
            var out = ""
            while let c = peek {
                advance()
                if c == "'" { return out }
                out.unicodeScalars.append(c)
            }
            throw error("unterminated string")
        }

        mutating func array() throws -> Value {
            advance()
            var items: [Value] = []
            while true {
                skipSpaces()
                if peek == "]" { advance(); return .array(items) }
                items.append(try value())
                skipSpaces()
                if peek == "," { advance(); continue }
                skipSpaces()
                guard peek == "]" else { throw error("expected ',' or ']' in the array") }
            }
        }

        mutating func boolean() throws -> Value {
            var word = ""
            while let c = peek, c.properties.isAlphabetic { word.unicodeScalars.append(c); advance() }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw error("expected true or false, not '\(word)'")
            }
        }

        mutating func number() throws -> Value {
            var text = ""
            while let c = peek, !(c == " " || c == "\t" || c == "," || c == "]" || c == "#" || c == "\r") {
                if c != "_" { text.unicodeScalars.append(c) }
                advance()
            }
            if let integer = Int64(text) { return .integer(integer) }
            if let float = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .float(float) }
            throw error("'\(text)' is not a value (strings need quotes)")
        }
    }
}
