import GRDB

/// The database schema of upman, as GRDB migrations: running them again changes nothing.
enum StoreSchema {
    /// The migrator holding every migration in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "upload_groups") { t in
                t.primaryKey("id", .text)
                t.column("userId", .text).notNull()
                t.column("name", .text).notNull()
                t.column("description", .text)
                t.column("status", .text).notNull()
                t.column("totalFiles", .integer).notNull().defaults(to: 0)
                t.column("completedFiles", .integer).notNull().defaults(to: 0)
                t.column("failedFiles", .integer).notNull().defaults(to: 0)
                t.column("totalBytes", .integer).notNull().defaults(to: 0)
                t.column("bytesUploaded", .integer).notNull().defaults(to: 0)
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("createdAt", .integer).notNull()
                t.column("updatedAt", .integer).notNull()
                t.column("lastActivityAt", .integer).notNull()
                t.column("actedBy", .text)
            }
            try db.create(index: "groups_by_status", on: "upload_groups", columns: ["status", "lastActivityAt"])
            try db.create(index: "groups_by_activity", on: "upload_groups", columns: ["lastActivityAt"])
            try db.create(index: "groups_by_user", on: "upload_groups", columns: ["userId", "createdAt"])

            try db.create(table: "upload_sessions") { t in
                t.primaryKey("id", .text)
                t.column("groupId", .text).notNull()
                    .references("upload_groups", onDelete: .cascade)
                t.column("userId", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("contentType", .text)
                t.column("size", .integer).notNull()
                t.column("sha256", .text)
                t.column("objectKey", .text).notNull().unique()
                t.column("uploadId", .text)
                t.column("method", .text).notNull()
                t.column("partSize", .integer).notNull()
                t.column("totalParts", .integer).notNull()
                t.column("completedParts", .integer).notNull().defaults(to: 0)
                t.column("bytesUploaded", .integer).notNull().defaults(to: 0)
                t.column("status", .text).notNull()
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .integer).notNull()
                t.column("updatedAt", .integer).notNull()
                t.column("uploadedAt", .integer)
                t.column("completedAt", .integer)
                t.column("lastActivityAt", .integer).notNull()
                t.column("actedBy", .text)
            }
            try db.create(index: "sessions_by_group", on: "upload_sessions", columns: ["groupId", "createdAt"])
            try db.create(index: "sessions_by_status", on: "upload_sessions", columns: ["status", "lastActivityAt"])

            try db.create(table: "file_parts") { t in
                t.primaryKey("id", .text)
                t.column("sessionId", .text).notNull()
                    .references("upload_sessions", onDelete: .cascade)
                t.column("groupId", .text).notNull()
                t.column("partNumber", .integer).notNull()
                t.column("offset", .integer).notNull()
                t.column("size", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("etag", .text)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("createdAt", .integer).notNull()
                t.column("updatedAt", .integer).notNull()
                t.column("uploadedAt", .integer)
                t.column("actedBy", .text)
                t.uniqueKey(["sessionId", "partNumber"])
            }

            try db.create(table: "processing_jobs") { t in
                t.primaryKey("id", .text)
                t.column("sessionId", .text).notNull()
                    .references("upload_sessions", onDelete: .cascade)
                t.column("groupId", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("maxAttempts", .integer).notNull()
                t.column("output", .text)
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("createdAt", .integer).notNull()
                t.column("updatedAt", .integer).notNull()
                t.column("runAfter", .integer)
                t.column("startedAt", .integer)
                t.column("finishedAt", .integer)
                t.column("actedBy", .text)
            }
            try db.create(index: "jobs_by_session", on: "processing_jobs", columns: ["sessionId", "position"])
            try db.create(index: "jobs_by_status", on: "processing_jobs", columns: ["status", "runAfter"])

            try db.create(table: "events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("entityId", .text).notNull()
                t.column("groupId", .text).notNull()
                t.column("userId", .text).notNull()
                t.column("deleted", .boolean).notNull().defaults(to: false)
                t.column("data", .text).notNull()
                t.column("createdAt", .integer).notNull()
            }
            try db.create(index: "events_by_group", on: "events", columns: ["groupId", "id"])
            try db.create(index: "events_by_user", on: "events", columns: ["userId", "id"])
        }
        migrator.registerMigration("v2-tokens") { db in
            try db.create(table: "tokens") { t in
                t.primaryKey("hash", .text)
                t.column("userId", .text).notNull()
                t.column("admin", .boolean).notNull()
                t.column("createdAt", .integer).notNull()
            }
        }
        migrator.registerMigration("v3-fingerprint") { db in
            try db.alter(table: "upload_sessions") { t in t.add(column: "fingerprint", .text) }
        }
        migrator.registerMigration("v4-group-tallies") { db in
            try db.create(table: "group_tallies") { t in
                t.column("groupId", .text).notNull().references("upload_groups", onDelete: .cascade)
                t.column("status", .text).notNull()
                t.column("n", .integer).notNull()
                t.column("size", .integer).notNull()
                t.column("uploaded", .integer).notNull()
                t.primaryKey(["groupId", "status"])
            }
            try db.execute(sql: "INSERT INTO group_tallies (groupId, status, n, size, uploaded) " + GroupTally.recountSQL)
        }
        migrator.registerMigration("v5-checksums") { db in
            try db.alter(table: "file_parts") { t in t.add(column: "checksum", .text) }
            try db.alter(table: "upload_sessions") { t in
                t.add(column: "checksumAlgorithm", .text)
                t.add(column: "checksumValue", .text)
                t.add(column: "receivedSHA256", .text)
            }
        }
        migrator.registerMigration("v6-dashboard") { db in
            // The inspector's history of one entity reads its events by entity id.
            try db.create(index: "events_by_entity", on: "events", columns: ["entityId", "id"])
            // What the server's uploader announced: files and bytes the whole group will hold.
            try db.alter(table: "upload_groups") { t in
                t.add(column: "expectedFiles", .integer)
                t.add(column: "expectedBytes", .integer)
            }
            // Facts about the serving process that readers show (the storage location).
            try db.create(table: "server_info") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v7-token-scopes") { db in
            // Upload links and short-lived events tokens: what a token may do, where, until when.
            try db.alter(table: "tokens") { t in
                t.add(column: "scope", .text).notNull().defaults(to: "api")
                t.add(column: "groupName", .text)
                t.add(column: "expiresAt", .integer)
                t.add(column: "maxBytes", .integer)
                t.add(column: "usedBytes", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v8-tus") { db in
            // What a session uploaded through tus keeps beside it: metadata, a deferred length, its
            // place in a concatenation and the durable bytes of its unfinished part.
            try db.create(table: "tus_uploads") { t in
                t.primaryKey("sessionId", .text).references("upload_sessions", onDelete: .cascade)
                t.column("metadata", .text)
                t.column("lengthDeferred", .boolean).notNull().defaults(to: false)
                t.column("concat", .text)
                t.column("partialPart", .integer).notNull().defaults(to: 0)
                t.column("partialBytes", .integer).notNull().defaults(to: 0)
                t.column("partialCRC32C", .integer).notNull().defaults(to: 0)
                t.column("filledParts", .text).notNull().defaults(to: "[]")
            }
            // A tus client names its group in its metadata: the latest group of that name is found
            // by owner and name.
            try db.create(index: "groups_by_user_name", on: "upload_groups", columns: ["userId", "name", "createdAt"])
        }
        migrator.registerMigration("v9-job-leases") { db in
            // The process running a job and until when its claim holds: a job whose lease ran out
            // (its process died) is queued again by another.
            try db.alter(table: "processing_jobs") { t in
                t.add(column: "leaseOwner", .text)
                t.add(column: "leaseUntil", .integer)
            }
        }
        return migrator
    }
}
