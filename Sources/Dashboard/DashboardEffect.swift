/// What the dashboard asks its host to do after a key.
public enum DashboardEffect: Sendable, Hashable {
    /// Send an operator action to the session controller.
    case perform(OperatorAction)
    /// Leave the dashboard.
    case quit
    /// Repaint the whole terminal (Ctrl-L).
    case repaint
}
