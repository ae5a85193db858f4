/// Where a table is scrolled: its first row on screen, and the selection's line at the last
/// frame (kept when rows arrive above, so the selected row does not move under the operator).
struct TableScroll {
    /// The first row on screen.
    var top = 0
    /// The selection's line at the last frame.
    var anchor: Int?
    /// Set when a key moved the selection: the view follows the selection instead.
    var followSelection = true
}
