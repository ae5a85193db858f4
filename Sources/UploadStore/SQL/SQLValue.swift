/// One value bound into a statement or read out of a row, in the few shapes upman stores:
/// SQLite's storage classes, plus PostgreSQL's `boolean` (SQLite keeps it as 0 or 1).
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit integer (counters, sizes, epoch milliseconds).
    case integer(Int64)
    /// A double.
    case real(Double)
    /// Text (ids, statuses, JSON).
    case text(String)
    /// A boolean: `boolean` on PostgreSQL, the integer 0 or 1 on SQLite.
    case boolean(Bool)
}
