import Foundation
import GRDB
import UploadModel

extension TusUpload: FetchableRecord, PersistableRecord {
    /// The `tus_uploads` table.
    public static var databaseTableName: String { "tus_uploads" }

    /// Reads a tus upload from a row.
    public init(row: Row) throws {
        self.init(sessionId: row["sessionId"], metadata: row["metadata"], lengthDeferred: row["lengthDeferred"], concat: row["concat"])
        partialPart = row["partialPart"]
        partialBytes = row["partialBytes"]
        partialCRC32C = UInt32(truncatingIfNeeded: row["partialCRC32C"] as Int64)
        let filled: String = row["filledParts"]
        filledParts = try JSONDecoder().decode([FilledPart].self, from: Data(filled.utf8))
    }

    /// Writes a tus upload's columns.
    public func encode(to container: inout PersistenceContainer) throws {
        container["sessionId"] = sessionId
        container["metadata"] = metadata
        container["lengthDeferred"] = lengthDeferred
        container["concat"] = concat
        container["partialPart"] = partialPart
        container["partialBytes"] = partialBytes
        container["partialCRC32C"] = Int64(partialCRC32C)
        container["filledParts"] = String(decoding: try JSONEncoder().encode(filledParts), as: UTF8.self)
    }
}
