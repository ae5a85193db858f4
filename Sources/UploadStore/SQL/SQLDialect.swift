/// The few places where upman's SQL differs between SQLite and PostgreSQL; everything else is
/// written once in the SQL both accept.
public enum SQLDialect: String, Sendable {
    /// SQLite, through GRDB: the embedded default.
    case sqlite
    /// PostgreSQL, through postgres-nio: shared by several instances.
    case postgres

    /// The larger of two numbers (`max(a, b)` in SQLite, `GREATEST(a, b)` in PostgreSQL).
    func greatest(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "max(\(a), \(b))"
        case .postgres: "GREATEST(\(a), \(b))"
        }
    }

    /// Whether `needle` occurs in `haystack` (SQLite's `instr`, PostgreSQL's `strpos`).
    func contains(_ haystack: String, _ needle: String) -> String {
        switch self {
        case .sqlite: "instr(\(haystack), \(needle)) > 0"
        case .postgres: "strpos(\(haystack), \(needle)) > 0"
        }
    }

    /// `expression` ordered without regard to case.
    func caseless(_ expression: String) -> String {
        switch self {
        case .sqlite: "\(expression) COLLATE NOCASE"
        case .postgres: "lower(\(expression))"
        }
    }

    /// `expression` as a floating-point number, for ratios.
    func real(_ expression: String) -> String {
        switch self {
        case .sqlite: "CAST(\(expression) AS REAL)"
        case .postgres: "CAST(\(expression) AS DOUBLE PRECISION)"
        }
    }

    /// The sum of `expression` as a double, 0 over no rows: it never fails on overflow (SQLite's
    /// `total()`; PostgreSQL sums integers exactly as `numeric`, cast here).
    func floatSum(_ expression: String) -> String {
        switch self {
        case .sqlite: "total(\(expression))"
        case .postgres: "coalesce(CAST(sum(\(expression)) AS DOUBLE PRECISION), 0)"
        }
    }
}
