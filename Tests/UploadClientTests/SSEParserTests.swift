import Testing
@testable import UploadClient

/// The event-stream parser, fed in arbitrary pieces.
@Suite struct SSEParserTests {
    let stream = "retry: 2000\n: connected\n\nid: 1\nevent: group\ndata: {\"a\":1}\n\n: heartbeat\n\nid: 2\r\nevent: part\r\ndata: x\r\ndata: y\r\n\r\ndata:no-space\n\n"

    func parse(splitEvery size: Int) -> ([SSEParser.Message], Int?) {
        var parser = SSEParser()
        var messages: [SSEParser.Message] = []
        let bytes = Array(stream.utf8)
        var index = 0
        while index < bytes.count {
            messages += parser.feed(bytes[index..<min(bytes.count, index + size)])
            index += size
        }
        return (messages, parser.retry)
    }

    @Test func wholeAndInPieces() {
        for size in [1, 2, 3, 7, 1000] {
            let (messages, retry) = parse(splitEvery: size)
            #expect(messages == [
                SSEParser.Message(id: "1", event: "group", data: "{\"a\":1}"),
                SSEParser.Message(id: "2", event: "part", data: "x\ny"),
                SSEParser.Message(id: "2", event: "message", data: "no-space"),
            ], "split every \(size)")
            #expect(retry == 2000)
        }
    }
}
