/// The methods each route answers, so a request with the wrong method gets 405 and `Allow`, not 404.
struct RouteMethods: Sendable {
    private var routes: [(segments: [Substring], methods: [String])] = []

    /// Records that `path` (`:name` stands for any one segment) answers `method`.
    mutating func add(_ method: String, _ path: String) {
        let segments = path.split(separator: "/")
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].methods.append(method)
        } else {
            routes.append((segments, [method]))
        }
    }

    /// The methods `path` answers (nil when no route has that path).
    func allowed(for path: String) -> [String]? {
        let given = path.split(separator: "/")
        let methods = routes.filter { route in
            route.segments.count == given.count
                && zip(route.segments, given).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }.flatMap(\.methods)
        return methods.isEmpty ? nil : methods
    }
}
