/// A rectangle on the grid.
struct Frame {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    /// The inside of a box drawn on this frame.
    var inner: Frame { Frame(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
}
