import Crypto
import NIOCore
import NIOFileSystem
import UploadModel

/// Reads of one open ``LocalFile`` (see ``LocalFile/withReader(_:)``), each on NIOFileSystem's
/// thread pool. Valid only inside `withReader`: once the file is closed, reads throw.
public struct LocalFileReader: Sendable {
    /// The file being read.
    public let file: LocalFile
    let handle: ReadFileHandle

    /// Exactly `count` bytes at `offset`; `fileChanged` when the file ends sooner.
    public func read(offset: Int64, count: Int) async throws -> ByteBuffer {
        var buffer = try await handle.readChunk(fromAbsoluteOffset: offset, length: .bytes(Int64(count)))
        while buffer.readableBytes < count {
            var more = try await handle.readChunk(
                fromAbsoluteOffset: offset + Int64(buffer.readableBytes), length: .bytes(Int64(count - buffer.readableBytes)))
            if more.readableBytes == 0 {
                throw ClientError.fileChanged("\(file.path) became shorter while it was being uploaded")
            }
            buffer.writeBuffer(&more)
        }
        return buffer
    }

    /// The CRC-32C of `length` bytes at `offset`, read 1 MiB at a time.
    public func crc32c(offset: Int64, length: Int64) async throws -> UInt32 {
        var crc = CRC32C()
        try await forEachChunk(offset: offset, length: length) { crc.update($0) }
        return crc.value
    }

    /// The MD5 of `length` bytes at `offset` (16 bytes), read 1 MiB at a time.
    public func md5(offset: Int64, length: Int64) async throws -> [UInt8] {
        var hasher = Insecure.MD5()
        try await forEachChunk(offset: offset, length: length) { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// Reads `length` bytes at `offset` 1 MiB at a time and hands each chunk's bytes to `body`.
    private func forEachChunk(offset: Int64, length: Int64, _ body: (UnsafeRawBufferPointer) -> Void) async throws {
        var position: Int64 = 0
        while position < length {
            let count = Int(min(Int64(1 << 20), length - position))
            let chunk = try await read(offset: offset + position, count: count)
            chunk.withUnsafeReadableBytes { body($0) }
            position += Int64(count)
        }
    }
}
