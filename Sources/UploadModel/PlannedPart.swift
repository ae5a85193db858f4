/// One part of a plan: its number, where it starts and how long it is.
public struct PlannedPart: Sendable, Hashable {
    /// 1-based part number.
    public var partNumber: Int
    /// Byte offset in the file.
    public var offset: Int64
    /// Size in bytes.
    public var size: Int64
}
