/// An entity kept as one row of one table under a text key.
public protocol SQLRecord {
    /// The table.
    static var tableName: String { get }
    /// The key column (`id` unless said otherwise).
    static var keyColumn: String { get }
    /// Reads the entity from a row.
    init(row: SQLRow) throws
    /// The entity's columns and values, the key among them.
    var columnValues: [(String, any SQLBindable)] { get }
}

extension SQLRecord {
    /// `id`.
    public static var keyColumn: String { "id" }

    /// A column name as written in SQL: `offset` is a reserved word in PostgreSQL and is quoted.
    static func sqlName(_ column: String) -> String {
        column == "offset" ? "\"offset\"" : column
    }

    /// Inserts the entity as a new row.
    func insert(_ db: any SQLDatabase) throws {
        let values = columnValues
        let names = values.map { Self.sqlName($0.0) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        try db.execute("INSERT INTO \(Self.tableName) (\(names)) VALUES (\(marks))", values.map(\.1))
    }

    /// Writes every column of the entity's row (found by its key).
    func update(_ db: any SQLDatabase) throws {
        let values = columnValues
        guard let key = values.first(where: { $0.0 == Self.keyColumn }) else { return }
        let others = values.filter { $0.0 != Self.keyColumn }
        let assignments = others.map { "\(Self.sqlName($0.0)) = ?" }.joined(separator: ", ")
        try db.execute("UPDATE \(Self.tableName) SET \(assignments) WHERE \(Self.keyColumn) = ?", others.map(\.1) + [key.1])
    }

    /// Deletes the row whose key is `key`; answers whether there was one.
    @discardableResult
    static func delete(_ db: any SQLDatabase, key: String) throws -> Bool {
        try db.execute("DELETE FROM \(tableName) WHERE \(keyColumn) = ?", [key]) > 0
    }
}
