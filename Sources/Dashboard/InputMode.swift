/// What keys mean right now.
public enum InputMode: Sendable, Hashable {
    /// Navigation and actions.
    case normal
    /// Typing a filter for the focused pane.
    case filtering(String)
    /// Waiting for `y` to confirm an action.
    case confirming(OperatorAction)
    /// The help overlay is shown.
    case help
}
