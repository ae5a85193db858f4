/// A pane's sort: which of its orders (see the pane's ``PaneSpec``) and which way.
public struct SortOrder: Sendable, Hashable {
    /// The order's name, one of the pane's.
    public var column: String
    /// Largest / newest first.
    public var descending: Bool

    /// `name↑` / `activity↓`.
    public var label: String { column + (descending ? "↓" : "↑") }
}
