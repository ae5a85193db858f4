import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element of an S3 answer: its name, text and child elements.
public struct S3XMLElement: Sendable, Hashable {
    /// The element's local name (`UploadId`, `Part`, …).
    public var name: String
    /// The text directly inside it, trimmed.
    public var text: String
    /// Its child elements in order.
    public var children: [S3XMLElement]

    /// The first child called `name`.
    public func child(_ name: String) -> S3XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child called `name`.
    public func all(_ name: String) -> [S3XMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child called `name`.
    public func value(_ name: String) -> String? {
        child(name)?.text
    }

    /// Parses a document; nil when it is not well-formed XML.
    public static func parse(_ data: Data) -> S3XMLElement? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    /// Escapes text for an XML element body.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [(name: String, text: String, children: [S3XMLElement])] = []
        var root: S3XMLElement?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            stack.append((elementName, "", []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let top = stack.popLast() else { return }
            let element = S3XMLElement(
                name: top.name, text: top.text.trimmingCharacters(in: .whitespacesAndNewlines), children: top.children)
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
