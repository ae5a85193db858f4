import NIOCore

/// One part's bytes, read from the file once, as a request body: slices of the one buffer (no
/// copies), reporting the bytes handed to the connection so far for the progress display.
struct PartBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Bytes per slice handed to the connection (progress moves in steps of this size).
    static let sliceSize = 1 << 20

    let bytes: ByteBuffer
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: PartBody
        var position = 0

        mutating func next() async throws -> ByteBuffer? {
            let total = body.bytes.readableBytes
            guard position < total else { return nil }
            try Task.checkCancellation()
            let count = Swift.min(PartBody.sliceSize, total - position)
            let slice = body.bytes.getSlice(at: body.bytes.readerIndex + position, length: count)!
            position += count
            body.progress(Int64(position))
            return slice
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self)
    }
}
