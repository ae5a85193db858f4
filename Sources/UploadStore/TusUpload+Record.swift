import Foundation
import UploadModel

extension TusUpload: SQLRecord {
    /// The `tus_uploads` table.
    public static var tableName: String { "tus_uploads" }
    /// Kept under its session's id.
    public static var keyColumn: String { "sessionId" }

    /// Reads a tus upload from a row.
    public init(row: SQLRow) throws {
        try self.init(sessionId: row["sessionId"], metadata: row["metadata"], lengthDeferred: row["lengthDeferred"], concat: row["concat"])
        partialPart = try row["partialPart"]
        partialBytes = try row["partialBytes"]
        partialCRC32C = UInt32(truncatingIfNeeded: try row["partialCRC32C"] as Int64)
        let filled: String = try row["filledParts"]
        filledParts = try JSONDecoder().decode([FilledPart].self, from: Data(filled.utf8))
    }

    /// A tus upload's columns.
    public var columnValues: [(String, any SQLBindable)] {
        let filled = (try? JSONEncoder().encode(filledParts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return [
            ("sessionId", sessionId), ("metadata", metadata), ("lengthDeferred", lengthDeferred), ("concat", concat),
            ("partialPart", partialPart), ("partialBytes", partialBytes), ("partialCRC32C", Int64(partialCRC32C)),
            ("filledParts", filled),
        ]
    }
}
