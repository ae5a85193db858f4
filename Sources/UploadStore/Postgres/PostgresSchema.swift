import Foundation

/// upman's schema on PostgreSQL: the same tables, columns and indexes as the SQLite migrations
/// (``StoreSchema``) reach, with PostgreSQL's types (BIGINT for counters and epoch milliseconds,
/// BOOLEAN for flags), plus `event_position`, the one-row table event ids are taken from (see
/// ``PostgresSQLConnection/appendEvents(_:)``). Names are unquoted, so PostgreSQL keeps them in
/// lower case; rows are read without regard to case. Migrations run once each, in order, under an
/// advisory lock so that instances starting together do not race.
enum PostgresSchema {
    /// The advisory lock key of migrations.
    static let migrationLock: Int64 = 0x7570_6d61_6e01
    /// The advisory lock key every write transaction takes (see ``PostgresEngine``).
    static let writerLock: Int64 = 0x7570_6d61_6e02
    /// The advisory lock key the leader holds (see ``PostgresEngine/lead()``).
    static let leaderLock: Int64 = 0x7570_6d61_6e03

    /// Every migration, in order: a name and its statements.
    static let migrations: [(name: String, statements: [String])] = [
        ("pg-v1", [
            """
            CREATE TABLE upload_groups (
              id TEXT PRIMARY KEY, userId TEXT NOT NULL, name TEXT NOT NULL, description TEXT, status TEXT NOT NULL,
              totalFiles BIGINT NOT NULL DEFAULT 0, completedFiles BIGINT NOT NULL DEFAULT 0,
              failedFiles BIGINT NOT NULL DEFAULT 0, totalBytes BIGINT NOT NULL DEFAULT 0,
              bytesUploaded BIGINT NOT NULL DEFAULT 0, errorCode TEXT, errorMessage TEXT,
              createdAt BIGINT NOT NULL, updatedAt BIGINT NOT NULL, lastActivityAt BIGINT NOT NULL, actedBy TEXT,
              expectedFiles BIGINT, expectedBytes BIGINT)
            """,
            "CREATE INDEX groups_by_status ON upload_groups (status, lastActivityAt)",
            "CREATE INDEX groups_by_activity ON upload_groups (lastActivityAt)",
            "CREATE INDEX groups_by_user ON upload_groups (userId, createdAt)",
            "CREATE INDEX groups_by_user_name ON upload_groups (userId, name, createdAt)",
            """
            CREATE TABLE upload_sessions (
              id TEXT PRIMARY KEY, groupId TEXT NOT NULL REFERENCES upload_groups (id) ON DELETE CASCADE,
              userId TEXT NOT NULL, fileName TEXT NOT NULL, contentType TEXT, size BIGINT NOT NULL, sha256 TEXT,
              objectKey TEXT NOT NULL UNIQUE, uploadId TEXT, method TEXT NOT NULL, partSize BIGINT NOT NULL,
              totalParts BIGINT NOT NULL, completedParts BIGINT NOT NULL DEFAULT 0, bytesUploaded BIGINT NOT NULL DEFAULT 0,
              status TEXT NOT NULL, errorCode TEXT, errorMessage TEXT, attempts BIGINT NOT NULL DEFAULT 0,
              createdAt BIGINT NOT NULL, updatedAt BIGINT NOT NULL, uploadedAt BIGINT, completedAt BIGINT,
              lastActivityAt BIGINT NOT NULL, actedBy TEXT, fingerprint TEXT, checksumAlgorithm TEXT,
              checksumValue TEXT, receivedSHA256 TEXT)
            """,
            "CREATE INDEX sessions_by_group ON upload_sessions (groupId, createdAt)",
            "CREATE INDEX sessions_by_status ON upload_sessions (status, lastActivityAt)",
            """
            CREATE TABLE file_parts (
              id TEXT PRIMARY KEY, sessionId TEXT NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
              groupId TEXT NOT NULL, partNumber BIGINT NOT NULL, "offset" BIGINT NOT NULL, size BIGINT NOT NULL,
              status TEXT NOT NULL, etag TEXT, attempts BIGINT NOT NULL DEFAULT 0, errorCode TEXT, errorMessage TEXT,
              createdAt BIGINT NOT NULL, updatedAt BIGINT NOT NULL, uploadedAt BIGINT, actedBy TEXT, checksum TEXT,
              UNIQUE (sessionId, partNumber))
            """,
            """
            CREATE TABLE processing_jobs (
              id TEXT PRIMARY KEY, sessionId TEXT NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
              groupId TEXT NOT NULL, kind TEXT NOT NULL, position BIGINT NOT NULL, status TEXT NOT NULL,
              attempts BIGINT NOT NULL DEFAULT 0, maxAttempts BIGINT NOT NULL, output TEXT, errorCode TEXT,
              errorMessage TEXT, createdAt BIGINT NOT NULL, updatedAt BIGINT NOT NULL, runAfter BIGINT,
              startedAt BIGINT, finishedAt BIGINT, actedBy TEXT, leaseOwner TEXT, leaseUntil BIGINT)
            """,
            "CREATE INDEX jobs_by_session ON processing_jobs (sessionId, position)",
            "CREATE INDEX jobs_by_status ON processing_jobs (status, runAfter)",
            """
            CREATE TABLE events (
              id BIGINT PRIMARY KEY, kind TEXT NOT NULL, entityId TEXT NOT NULL, groupId TEXT NOT NULL,
              userId TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false, data TEXT NOT NULL, createdAt BIGINT NOT NULL)
            """,
            "CREATE INDEX events_by_group ON events (groupId, id)",
            "CREATE INDEX events_by_user ON events (userId, id)",
            "CREATE INDEX events_by_entity ON events (entityId, id)",
            "CREATE TABLE event_position (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), last BIGINT NOT NULL)",
            "INSERT INTO event_position (one, last) VALUES (true, 0)",
            """
            CREATE TABLE tokens (
              hash TEXT PRIMARY KEY, userId TEXT NOT NULL, admin BOOLEAN NOT NULL, createdAt BIGINT NOT NULL,
              scope TEXT NOT NULL DEFAULT 'api', groupName TEXT, expiresAt BIGINT, maxBytes BIGINT,
              usedBytes BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE group_tallies (
              groupId TEXT NOT NULL REFERENCES upload_groups (id) ON DELETE CASCADE, status TEXT NOT NULL,
              n BIGINT NOT NULL, size BIGINT NOT NULL, uploaded BIGINT NOT NULL, PRIMARY KEY (groupId, status))
            """,
            "CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE tus_uploads (
              sessionId TEXT PRIMARY KEY REFERENCES upload_sessions (id) ON DELETE CASCADE, metadata TEXT,
              lengthDeferred BOOLEAN NOT NULL DEFAULT false, concat TEXT, partialPart BIGINT NOT NULL DEFAULT 0,
              partialBytes BIGINT NOT NULL DEFAULT 0, partialCRC32C BIGINT NOT NULL DEFAULT 0,
              filledParts TEXT NOT NULL DEFAULT '[]')
            """,
        ]),
        // Which request holds a tus upload across instances, until when, and who asked for it
        // (see TusHold in the server).
        ("pg-v2-tus-holds", [
            "ALTER TABLE tus_uploads ADD COLUMN holder TEXT",
            "ALTER TABLE tus_uploads ADD COLUMN heldUntil BIGINT",
            "ALTER TABLE tus_uploads ADD COLUMN wanted TEXT",
        ]),
    ]

    /// `statement` with every TEXT column compared byte by byte (`COLLATE "C"`), as SQLite
    /// compares them: ids, statuses and names sort and match the same on both engines (and
    /// `lower()` folds ASCII only, as SQLite's NOCASE does), whatever locale the cluster has.
    static func bytewise(_ statement: String) -> String {
        statement.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")
    }

    /// Runs the migrations `link`'s database has not had, in one transaction.
    static func migrate(_ link: PostgresLink) throws {
        _ = try link.query("BEGIN", [])
        do {
            _ = try link.query("SELECT pg_advisory_xact_lock(?)", [migrationLock])
            _ = try link.query("CREATE TABLE IF NOT EXISTS upman_migrations (name TEXT PRIMARY KEY, appliedAt BIGINT NOT NULL)", [])
            let applied = Set(try link.query("SELECT name FROM upman_migrations", []).0.map { try $0["name"] as String })
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements { _ = try link.query(bytewise(statement), []) }
                _ = try link.query(
                    "INSERT INTO upman_migrations (name, appliedAt) VALUES (?, ?)",
                    [migration.name, Int64(Date().timeIntervalSince1970 * 1000)])
            }
            _ = try link.query("COMMIT", [])
        } catch {
            _ = try? link.query("ROLLBACK", [])
            throw PostgresFailure.wrap(error, doing: "migrate the PostgreSQL schema")
        }
    }
}
