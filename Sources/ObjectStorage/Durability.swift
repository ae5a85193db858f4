/// When the disk store acknowledges bytes: after they are on the disk, or as soon as the kernel has
/// them.
public enum Durability: String, Sendable, CaseIterable {
    /// A part is answered 200 and recorded UPLOADED only after `fdatasync` of its upload file; a new
    /// upload file's and a finished object's directory entries are synced too. Nothing acknowledged
    /// is lost to a power failure (a killed server never loses acknowledged bytes either way).
    case durable
    /// Bytes are acknowledged once written to the kernel's page cache: a killed server loses
    /// nothing, a power failure may lose what was acknowledged in the last seconds. Faster for many
    /// small files.
    case relaxed
}
