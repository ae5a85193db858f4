/// One row of `upload_sessions` as a cluster test reads it with psql.
struct ClusterSession: CustomStringConvertible {
    let id: String
    let fileName: String
    let status: String
    let objectKey: String
    let method: String
    let totalParts: Int

    /// The columns ``init(row:)`` takes, in order, for a SELECT.
    static let columns = "id, fileName, status, objectKey, method, totalParts"

    /// A session from a psql row of ``columns``; nil when the row is not one.
    init?(row: [String]) {
        guard row.count == 6, let totalParts = Int(row[5]) else { return nil }
        (id, fileName, status, objectKey, method, self.totalParts) = (row[0], row[1], row[2], row[3], row[4], totalParts)
    }

    var description: String { "\(fileName) \(id) \(status) \(method) \(totalParts) parts" }
}
