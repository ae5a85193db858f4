import NIOCore

/// One part of a local file as a stream of buffers for a request body, reporting the bytes read
/// so far. Reads go through an open ``LocalFileReader`` and so stop working once it is closed.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let reader: LocalFileReader
    let offset: Int64
    let length: Int64
    let chunkSize: Int
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var position: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard position < chunks.length else { return nil }
            try Task.checkCancellation()
            let count = Int(Swift.min(Int64(chunks.chunkSize), chunks.length - position))
            let buffer = try await chunks.reader.read(offset: chunks.offset + position, count: count)
            position += Int64(count)
            chunks.progress(position)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: self)
    }
}
