/// Makes the string ids of entities: a kind prefix and 20 random base-32 characters.
public enum UploadID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new id such as `grp_8k2m…`, drawn from `generator`.
    public static func make<G: RandomNumberGenerator>(_ prefix: String, using generator: inout G) -> String {
        var id = prefix + "_"
        for _ in 0..<20 { id.append(alphabet[Int(generator.next() % 32)]) }
        return id
    }

    /// A new id drawn from the system's random source.
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix, using: &generator)
    }
}
