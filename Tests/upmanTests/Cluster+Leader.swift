import Foundation

extension Cluster {
    /// The leader's advisory lock key (`PostgresSchema.leaderLock`, 0x7570_6d61_6e03), as
    /// `pg_locks` shows a bigint key: its high and low 32 bits.
    private static let leaderLock = (classid: 0x7570, objid: 0x6d61_6e03)

    /// The instance holding the leader's advisory lock now, found from the outside: PostgreSQL
    /// names the backend holding the lock and its client's port, and the kernel names the process
    /// owning the socket on that port. Nil when nobody holds it (or its holder is not one of
    /// ``instances``).
    func leader() async throws -> ClusterInstance? {
        let ports = try await sql("""
            SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(Self.leaderLock.classid)
              AND l.objid = \(Self.leaderLock.objid)
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """).split(separator: "\n").compactMap { Int($0) }
        guard let port = ports.first else { return nil }
        guard let inode = Self.socketInode(localPort: port, remotePort: postgres.port) else { return nil }
        return instances.first { Self.process($0.pid, owns: inode) }
    }

    /// The advisory locks of the cluster's database as `pg_locks` shows them (holder's client
    /// port, key halves, granted), for a failure message.
    func advisoryLocks() async throws -> String {
        try await sql("""
            SELECT a.client_port, l.classid, l.objid, l.objsubid, l.granted FROM pg_locks l
            JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'
            """)
    }

    /// The inode of the TCP socket from 127.0.0.1:`localPort` to port `remotePort`
    /// (`/proc/net/tcp`: addresses and ports in hex, the inode in the tenth column).
    private static func socketInode(localPort: Int, remotePort: Int) -> String? {
        // Read to the end: String(contentsOfFile:) stops after the first page of a /proc file.
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        let table = String(decoding: data, as: UTF8.self)
        let local = String(format: ":%04X", localPort)
        let remote = String(format: ":%04X", remotePort)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[1].hasSuffix(local), fields[2].hasSuffix(remote) else { continue }
            return String(fields[9])
        }
        return nil
    }

    /// Whether process `pid` has the socket `inode` open.
    private static func process(_ pid: Int32, owns inode: String) -> Bool {
        let folder = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return descriptors.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0)) == "socket:[\(inode)]" }
    }
}
