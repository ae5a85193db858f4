/// `upman serve` never came up.
struct ServerStartError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
