/// Parses a `text/event-stream` incrementally: feed it bytes as they arrive, get whole messages.
public struct SSEParser: Sendable {
    /// One message of the stream.
    public struct Message: Sendable, Equatable {
        /// The `id:` field, if the message had one.
        public var id: String?
        /// The `event:` field (`message` when absent).
        public var event: String
        /// The `data:` lines joined with newlines.
        public var data: String
    }

    private var buffer: [UInt8] = []
    private var id: String?
    private var event: String?
    private var data: [String] = []
    private var hasData = false
    /// The reconnection delay the server asked for (`retry:`), in milliseconds.
    public private(set) var retry: Int?

    /// A new parser.
    public init() {}

    /// Adds bytes; returns the messages they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Message] {
        buffer.append(contentsOf: bytes)
        var messages: [Message] = []
        var start = 0
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                let line = String(decoding: buffer[start..<index], as: UTF8.self)
                if byte == UInt8(ascii: "\r"), index + 1 < buffer.count, buffer[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                } else if byte == UInt8(ascii: "\r"), index + 1 == buffer.count {
                    break
                }
                if let message = process(line) { messages.append(message) }
                start = index + 1
            }
            index += 1
        }
        buffer.removeFirst(min(start, buffer.count))
        return messages
    }

    private mutating func process(_ line: String) -> Message? {
        if line.isEmpty {
            defer {
                event = nil
                data = []
                hasData = false
            }
            guard hasData else { return nil }
            return Message(id: id, event: event ?? "message", data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "id": if !value.contains("\0") { id = String(value) }
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        case "retry": retry = Int(value) ?? retry
        default: break
        }
        return nil
    }
}
