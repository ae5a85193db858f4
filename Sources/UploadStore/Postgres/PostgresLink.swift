import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One PostgreSQL connection used from a thread of upman's own (the store's writer queue, a
/// reader queue): every call blocks that thread until the server answers, never a thread of the
/// cooperative pool or an event loop. A connection the server dropped is opened again on the next
/// call outside a transaction.
final class PostgresLink: @unchecked Sendable {
    private let url: DatabaseURL
    private var connection: PostgresConnection?
    private let logger: Logger
    private static let ids = Mutex(0)

    /// A link to `url`; connects at once so a wrong URL fails at start-up.
    init(_ url: DatabaseURL) throws {
        self.url = url
        var logger = Logger(label: "upman.postgres")
        logger.logLevel = .critical
        self.logger = logger
        connection = try connect()
    }

    deinit {
        // Not waited for, as the last reference may go on any thread; the closure keeps the
        // connection until it is closed (postgres-nio requires a connection closed before freed).
        guard let connection else { return }
        connection.close().whenComplete { _ in _ = connection }
    }

    private func connect() throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        if url.requireTLS {
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        } else {
            tls = .disable
        }
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        let id = Self.ids.withLock { id -> Int in
            id += 1
            return id
        }
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id, logger: logger
            ).wait()
        } catch {
            throw PostgresFailure.wrap(error, doing: "connect to \(url.redacted)")
        }
    }

    /// Runs `sql` (with `?` placeholders) with `arguments`; answers its rows and how many rows it
    /// changed.
    func query(_ sql: String, _ arguments: [any SQLBindable], reconnect: Bool = false) throws -> ([SQLRow], Int) {
        if reconnect, connection?.isClosed ?? true {
            connection = try connect()
        }
        guard let connection else { throw PostgresFailure.closed }
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .boolean(let flag): binds.append(flag)
            }
        }
        let query = PostgresQuery(unsafeSQL: PostgresPlaceholders.numbered(sql), binds: binds)
        let result = try connection.query(query, logger: logger).wait()
        var rows: [SQLRow] = []
        rows.reserveCapacity(result.rows.count)
        var columns: [String]?
        for row in result.rows {
            var values: [SQLValue] = []
            var names: [String] = []
            for cell in row {
                if columns == nil { names.append(cell.columnName) }
                values.append(try Self.value(cell))
            }
            if columns == nil { columns = names }
            rows.append(SQLRow(columns: columns ?? names, values: values))
        }
        return (rows, result.metadata.rows ?? 0)
    }

    /// Closes the connection.
    func close() {
        guard let connection else { return }
        try? connection.close().wait()
        self.connection = nil
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .boolean(try cell.decode(Bool.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            let number = try cell.decode(Decimal.self)
            let double = NSDecimalNumber(decimal: number).doubleValue
            if let whole = Int64(exactly: double) { return .integer(whole) }
            return .real(double)
        case .void: return .null
        default: return .text(try cell.decode(String.self))
        }
    }
}
