#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import Synchronization
import UploadModel

/// A file descriptor shared between a part's writer and the blocking thread pool that writes
/// through it; closed once, by ``close()`` or when the last reference goes.
final class OpenFile: Sendable {
    private let descriptor: Mutex<Int32?>

    /// Takes ownership of `fd`.
    init(_ fd: Int32) {
        descriptor = Mutex(fd)
    }

    /// Opens the existing file at `path` with `flags`. Blocks: call it on the blocking thread pool.
    ///
    /// - Throws: ``StorageError/missing(_:)`` naming `missing` when there is no such file;
    ///   ``StorageError/io(_:errno:)`` naming `what` otherwise.
    static func existing(_ path: String, _ flags: Int32, missing: @autoclosure () -> String, what: @autoclosure () -> String) throws -> OpenFile {
        let fd = open(path, flags)
        guard fd >= 0 else {
            if errno == ENOENT { throw StorageError.missing(missing()) }
            throw StorageError.io(what(), errno: errno)
        }
        return OpenFile(fd)
    }

    deinit {
        close()
    }

    /// Closes the descriptor (again is a no-op).
    func close() {
        if let fd = descriptor.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) {
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
        }
    }

    /// Writes `buffers` one after another from `position` with `pwrite`, retrying short writes
    /// and EINTR, and counting blocks against `capacity` when the store has one. Blocks: call it
    /// on the blocking thread pool.
    ///
    /// - Throws: `storageFull` (ENOSPC, EDQUOT, or the capacity reached), `storageError` otherwise.
    func write(_ buffers: [ByteBuffer], at position: Int64, capacity: DiskCapacity?, what: String) throws(UploadError) {
        var at = position
        for buffer in buffers {
            try write(buffer, at: at, capacity: capacity, what: what)
            at += Int64(buffer.readableBytes)
        }
    }

    /// Writes all of `buffer` at `position` (see ``write(_:at:capacity:what:)-([ByteBuffer])``).
    func write(_ buffer: ByteBuffer, at position: Int64, capacity: DiskCapacity?, what: String) throws(UploadError) {
        guard let fd = descriptor.withLock({ $0 }) else {
            throw UploadError(.storageError, "\(what): the file is closed")
        }
        let failure = buffer.withUnsafeReadableBytes { bytes -> UploadError? in
            var offset = 0
            while offset < bytes.count {
                let start = bytes.baseAddress! + offset
                let count = bytes.count - offset
                let at = off_t(position + Int64(offset))
                var code: Int32 = 0
                let attempt = { () -> Int in
                    let result = pwrite(fd, start, count, at)
                    if result < 0 { code = errno }
                    return result
                }
                let result: Int
                do {
                    result = try capacity?.write(fd: fd, attempt) ?? attempt()
                } catch let error as UploadError {
                    return error
                } catch {
                    return UploadError(.storageError, "\(what): \(error)")
                }
                if result < 0 {
                    if code == EINTR { continue }
                    return StorageError.io(what, errno: code)
                }
                offset += result
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes the file's written data to the disk (`fdatasync(2)`), retrying EINTR. Blocks: call
    /// it on the blocking thread pool.
    ///
    /// - Throws: `storageError` when the disk reports a failure (the bytes may be lost).
    func syncData(what: String) throws(UploadError) {
        guard let fd = descriptor.withLock({ $0 }) else {
            throw UploadError(.storageError, "\(what): the file is closed")
        }
        while fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw StorageError.io(what, errno: errno)
        }
    }

    /// Reads up to `count` bytes from the current position (empty at the end), retrying EINTR.
    /// Blocks: call it on the blocking thread pool.
    ///
    /// - Throws: `storageError` when the read fails.
    func read(upTo count: Int, what: String) throws(UploadError) -> Data {
        guard let fd = descriptor.withLock({ $0 }) else {
            throw UploadError(.storageError, "\(what): the file is closed")
        }
        var data = Data(count: count)
        while true {
            var failure: Int32 = 0
            let result = data.withUnsafeMutableBytes { buffer -> Int in
                let result = systemRead(fd, buffer.baseAddress!, count)
                if result < 0 { failure = errno }
                return result
            }
            if result < 0 {
                if failure == EINTR { continue }
                throw StorageError.io(what, errno: failure)
            }
            data.count = result
            return data
        }
    }
}

/// `read(2)`, named apart from ``OpenFile/read(upTo:what:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
