import NIOFileSystem

extension FilePath {
    /// The path's bytes exactly as the file system has them (no terminating NUL), whether or not
    /// they are UTF-8.
    public var bytes: [UInt8] {
        withPlatformString(Self.bytes(of:))
    }

    /// A path made of exactly these bytes (which must not hold a NUL).
    public init(bytes: [UInt8]) {
        let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
        self = terminated.withUnsafeBufferPointer { FilePath(platformString: $0.baseAddress!) }
    }

    /// The bytes of a NUL-terminated platform string.
    public static func bytes(of pointer: UnsafePointer<CChar>) -> [UInt8] {
        var bytes: [UInt8] = []
        var cursor = pointer
        while cursor.pointee != 0 {
            bytes.append(UInt8(bitPattern: cursor.pointee))
            cursor += 1
        }
        return bytes
    }
}
