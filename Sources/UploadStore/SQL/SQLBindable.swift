import UploadModel

/// A Swift value that can be bound to a statement's `?` placeholder.
public protocol SQLBindable {
    /// The value as bound.
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    /// Itself.
    public var sqlValue: SQLValue { self }
}

extension String: SQLBindable {
    /// Text.
    public var sqlValue: SQLValue { .text(self) }
}

extension Int: SQLBindable {
    /// An integer.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    /// An integer.
    public var sqlValue: SQLValue { .integer(self) }
}

extension Bool: SQLBindable {
    /// A boolean.
    public var sqlValue: SQLValue { .boolean(self) }
}

extension Double: SQLBindable {
    /// A double.
    public var sqlValue: SQLValue { .real(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// NULL, or the wrapped value.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension SQLBindable where Self: RawRepresentable, RawValue == String {
    /// The raw value, as text.
    public var sqlValue: SQLValue { .text(rawValue) }
}

extension GroupStatus: SQLBindable {}
extension FileStatus: SQLBindable {}
extension PartStatus: SQLBindable {}
extension JobStatus: SQLBindable {}
extension UploadMethod: SQLBindable {}
extension EventKind: SQLBindable {}
