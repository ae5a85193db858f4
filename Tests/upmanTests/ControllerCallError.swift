/// A controller answer that was not 200.
struct ControllerCallError: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body)" }
}
