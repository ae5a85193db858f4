import Foundation

/// The line under the panes: the result of the last action, or an error.
public struct StatusMessage: Sendable, Hashable {
    /// The text.
    public var text: String
    /// How it is drawn (`.success`, `.error`, `.normal`).
    public var style: Style
    /// When it was set.
    public var time: Date

    /// Creates a message.
    public init(_ text: String, style: Style = .normal, time: Date) {
        self.text = text
        self.style = style
        self.time = time
    }
}
