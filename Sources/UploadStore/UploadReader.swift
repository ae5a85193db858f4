import Foundation
import GRDB
import UploadModel

/// Read-only queries a dashboard or a status request needs, over the live pool or a read-only
/// connection from another process. In WAL mode they never block the writer and only ever see
/// committed transactions.
public struct UploadReader: Sendable {
    /// The engine the reads run on.
    let engine: any StoreEngine
    /// A test hook every read passes through first (see ``ReadGate``).
    public let gate: ReadGate

    init(_ engine: any StoreEngine, gate: ReadGate = ReadGate()) {
        self.engine = engine
        self.gate = gate
    }

    /// Opens the database `location` names read-only: a `postgres://` URL (the schema must be
    /// there already), else a SQLite file (see ``open(path:busyTimeout:)``).
    public static func open(location: String) throws -> UploadReader {
        guard let url = DatabaseURL(location) else { return try open(path: location) }
        do {
            return UploadReader(try PostgresEngine(url: url, maximumReaders: 2, migrate: false))
        } catch {
            throw PostgresFailure.wrap(error, doing: "open \(url.redacted)")
        }
    }

    /// Opens the database at `path` read-only (for a second process, such as the dashboard).
    ///
    /// A reader of a WAL database needs its shared-memory file (`PATH-shm`), which SQLite makes
    /// beside the database when it is missing (SQLite's "WAL mode" notes, §"Read-only
    /// databases"). Where this user may not write in that folder (the operator of a stopped
    /// server, another Unix user) and there is no write-ahead log to read, the file itself holds
    /// every committed change, so it is opened immutable (no `-shm` needed). Where a log is
    /// waiting to be checkpointed and `-shm` cannot be made, the error says so in one line and
    /// what to do.
    ///
    /// - Throws: `UploadError` `.notFound` when there is no database or it is not upman's;
    ///   `.forbidden` when the log cannot be read as this user; a wrapped SQLite error otherwise.
    public static func open(path: String, busyTimeout: Double = 5) throws -> UploadReader {
        guard FileManager.default.fileExists(atPath: path) else {
            throw UploadError(.notFound, "no database at \(path)")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        do {
            return try reader(location: path, displayPath: path, config)
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            let folder = (path as NSString).deletingLastPathComponent
            let shared = path + "-shm"
            guard access(folder.isEmpty ? "." : folder, W_OK) != 0, access(shared, R_OK) != 0 else {
                throw StoreError.wrap(error, doing: "open \(path) read-only")
            }
            let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? nil
            guard (log ?? 0) == 0 else {
                throw UploadError(.forbidden, """
                    cannot read \(path) as this user: its write-ahead log (\(path)-wal) needs \(shared), which \
                    this user may not create in \(folder.isEmpty ? "." : folder); run as the user that owns it, or \
                    start and stop `upman serve` once so the log is folded into the database
                    """)
            }
            do {
                return try reader(location: immutableURI(path), displayPath: path, config)
            } catch {
                throw StoreError.wrap(error, doing: "open \(path) read-only")
            }
        } catch {
            throw StoreError.wrap(error, doing: "open \(path) read-only")
        }
    }

    private static func reader(location: String, displayPath: String, _ config: Configuration) throws -> UploadReader {
        let queue = try DatabaseQueue(path: location, configuration: config)
        let migrated = try queue.read { db in try db.tableExists("events") }
        guard migrated else { throw UploadError(.notFound, "\(displayPath) is not an upman database") }
        return UploadReader(SQLiteEngine(readOnly: queue))
    }

    /// A SQLite URI filename (RFC 8089 `file:` with SQLite's `immutable` parameter) that opens
    /// `path` without a lock or a shared-memory file.
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?immutable=1"
    }

    /// Runs several queries on one consistent snapshot, blocking the calling thread until they are
    /// done: for threads of a program's own (the dashboard's loop, a command's start) and for code
    /// that cannot suspend. Async code uses ``read(_:)``.
    public func snapshot<T>(_ body: (UploadSnapshot) throws -> T) throws -> T {
        do {
            return try engine.read { db in
                gate.pass()
                return try body(UploadSnapshot(db: db))
            }
        } catch {
            throw StoreError.wrap(error, doing: "read")
        }
    }

    /// Runs several queries on one consistent snapshot on one of the engine's reader queues: the
    /// calling task suspends while they run, and no thread of the cooperative pool (nor an event
    /// loop) waits for the database, for a free reader connection or for the disk.
    ///
    /// - Throws: what `body` throws, or a wrapped SQLite error (``StoreError``).
    public func read<T: Sendable>(_ body: @escaping @Sendable (UploadSnapshot) throws -> T) async throws -> T {
        do {
            let gate = self.gate
            return try await engine.read { db in
                gate.pass()
                return try body(UploadSnapshot(db: db))
            }
        } catch {
            throw StoreError.wrap(error, doing: "read")
        }
    }

    /// A page of groups.
    public func groups(_ query: GroupQuery = GroupQuery()) async throws -> [UploadGroup] {
        try await read { try $0.groups(query) }
    }

    /// How many groups match `query` (ignoring its offset and limit).
    public func groupCount(_ query: GroupQuery = GroupQuery()) async throws -> Int {
        try await read { try $0.groupCount(query) }
    }

    /// The group with `id`, if any.
    public func group(_ id: String) async throws -> UploadGroup? {
        try await read { try $0.group(id) }
    }

    /// A page of a group's sessions.
    public func sessions(_ query: SessionQuery) async throws -> [UploadSession] {
        try await read { try $0.sessions(query) }
    }

    /// The session with `id`, if any.
    public func session(_ id: String) async throws -> UploadSession? {
        try await read { try $0.session(id) }
    }

    /// The oldest open session of `groupId` for the same file (see ``UploadSnapshot/openSession(groupId:fileName:size:fingerprint:)``).
    public func openSession(groupId: String, fileName: String, size: Int64, fingerprint: String) async throws -> UploadSession? {
        try await read { try $0.openSession(groupId: groupId, fileName: fileName, size: size, fingerprint: fingerprint) }
    }

    /// For each of `files` (name, size, fingerprint), the oldest open session of `groupId` for that
    /// file, or nil; one read for all of them, in their order (a batch `initiate` asks for up to 1,000).
    public func openSessions(groupId: String, files: [(fileName: String, size: Int64, fingerprint: String)]) async throws -> [UploadSession?] {
        try await read { snapshot in
            try files.map { try snapshot.openSession(groupId: groupId, fileName: $0.fileName, size: $0.size, fingerprint: $0.fingerprint) }
        }
    }

    /// A session's tus upload and parts, read together (one snapshot), when it was created through tus.
    public func tusState(_ sessionId: String) async throws -> (TusUpload, [FilePart])? {
        try await read { snapshot in
            guard let upload = try snapshot.tusUpload(sessionId) else { return nil }
            return (upload, try snapshot.parts(sessionId: sessionId, offset: 0, limit: 10_000))
        }
    }

    /// Whether session `sessionId` was created through tus.
    public func isTusUpload(_ sessionId: String) async throws -> Bool {
        try await read { try $0.tusUpload(sessionId) != nil }
    }

    /// The latest group of `userId` named `name` that is not cancelled (see ``UploadSnapshot/latestGroup(userId:name:)``).
    public func latestGroup(userId: String, name: String) async throws -> UploadGroup? {
        try await read { try $0.latestGroup(userId: userId, name: name) }
    }

    /// The ids of every group of `userId` named `name`.
    public func groupIds(userId: String, name: String) async throws -> Set<String> {
        try await read { try $0.groupIds(userId: userId, name: name) }
    }

    /// A session's parts by number, from `offset`, at most `limit`.
    public func parts(sessionId: String, offset: Int = 0, limit: Int = 10_000) async throws -> [FilePart] {
        try await read { try $0.parts(sessionId: sessionId, offset: offset, limit: limit) }
    }

    /// A session's jobs in run order.
    public func jobs(sessionId: String) async throws -> [ProcessingJob] {
        try await read { try $0.jobs(sessionId: sessionId) }
    }

    /// Jobs with `status`, newest first, at most `limit`.
    public func jobs(status: JobStatus, limit: Int = 100) async throws -> [ProcessingJob] {
        try await read { try $0.jobs(status: status, limit: limit) }
    }

    /// Totals for the header.
    public func totals() async throws -> StoreTotals {
        try await read { try $0.totals() }
    }

    /// The newest event id (0 when none): cheap, for telling whether anything changed.
    public func latestEventId() async throws -> Int64 {
        try await read { try $0.latestEventId() }
    }

    /// The oldest event id still in the log (0 when none).
    public func oldestEventId() async throws -> Int64 {
        try await read { try $0.oldestEventId() }
    }

    /// Whether anything was committed after event `id`.
    public func hasChanges(since id: Int64) async throws -> Bool {
        try await latestEventId() > id
    }

    /// Events after `id`, oldest first, optionally only one group's or one user's.
    public func events(
        after id: Int64, limit: Int = 1000, groupId: String? = nil, userId: String? = nil
    ) async throws -> [UploadEvent] {
        try await read { try $0.events(after: id, limit: limit, groupId: groupId, userId: userId) }
    }

    /// The token whose hash is `hash`, if any.
    public func token(hash: String) async throws -> AccessToken? {
        try await read { try $0.token(hash: hash) }
    }

    /// The database's own integrity check (SQLite's `PRAGMA integrity_check`): "ok" when sound.
    public func integrityCheck() async throws -> String {
        try await read { try $0.integrityCheck() }
    }

    /// Checks the invariants upman keeps (see ``StoreAudit``) on one snapshot.
    public func audit() async throws -> [String] {
        try await read { try $0.audit() }
    }
}
