import Foundation

/// A TCP port nobody listened on a moment ago on 127.0.0.1 (bound to port 0, then released), for
/// a server that must come back on the same port.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A distinct free loopback port (``freeLoopbackPort()``) for each of `names`: for a server that
/// takes several port flags (SeaweedFS's `weed mini`), where one left to its default collides with
/// another run.
public func freeLoopbackPorts(for names: [String]) throws -> [String: Int] {
    var ports: [String: Int] = [:]
    for name in names {
        var port = try freeLoopbackPort()
        while ports.values.contains(port) { port = try freeLoopbackPort() }
        ports[name] = port
    }
    return ports
}
