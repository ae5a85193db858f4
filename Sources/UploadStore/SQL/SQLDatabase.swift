import UploadModel

/// One connection inside a transaction or a read snapshot: what the repositories and read queries
/// run their SQL on, whatever the engine. Statements use `?` placeholders.
public protocol SQLDatabase: AnyObject {
    /// The SQL the connection speaks where the engines differ.
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows.
    ///
    /// - Returns: how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int

    /// Runs a query and returns every row.
    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow]

    /// Runs `body` inside a savepoint: what it throws rolls back its own changes alone.
    func inSavepoint(_ body: () throws -> Void) throws

    /// Whether a transaction is still open (false once an error aborted it).
    var isInsideTransaction: Bool { get }

    /// Whether table `name` exists.
    func tableExists(_ name: String) throws -> Bool

    /// The column names of table `name`.
    func columnNames(in table: String) throws -> [String]

    /// Appends `events` to the log in order and gives each its id. The ids of one transaction are
    /// consecutive and greater than every id committed before it, and no transaction that
    /// commits later takes a smaller one (see each engine for how).
    func appendEvents(_ events: inout [UploadEvent]) throws

    /// Checks the database's own integrity; "ok" when sound.
    func integrityCheck() throws -> String
}

extension SQLDatabase {
    /// Runs a query without arguments and returns every row.
    public func fetchAll(_ sql: String) throws -> [SQLRow] {
        try fetchAll(sql, [])
    }

    /// Runs a statement without arguments.
    @discardableResult
    public func execute(_ sql: String) throws -> Int {
        try execute(sql, [])
    }

    /// The first row of a query, if any.
    public func fetchOne(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> SQLRow? {
        try fetchAll(sql, arguments).first
    }

    /// The first column of the first row, if any row (and it is not NULL when `T` is not optional).
    public func scalar<T: SQLDecodable>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> T? {
        guard let row = try fetchOne(sql, arguments) else { return nil }
        let value: T? = try row.at(0)
        return value
    }

    /// The first column of every row.
    public func column<T: SQLDecodable>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [T] {
        try fetchAll(sql, arguments).map { try $0.at(0) }
    }

    /// Every row of a query, as records.
    public func records<R: SQLRecord>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [R] {
        try fetchAll(sql, arguments).map(R.init(row:))
    }

    /// The first row of a query, as a record.
    public func record<R: SQLRecord>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> R? {
        try fetchOne(sql, arguments).map(R.init(row:))
    }

    /// The record whose key is `key`.
    public func record<R: SQLRecord>(key: String) throws -> R? {
        try record("SELECT * FROM \(R.tableName) WHERE \(R.keyColumn) = ? LIMIT 1", [key])
    }
}
