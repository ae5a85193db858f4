/// The four panes, in Tab order.
public enum Pane: Int, Sendable, CaseIterable, Hashable {
    /// Upload groups.
    case groups
    /// Files of the selected group.
    case files
    /// Parts of the selected file.
    case parts
    /// Processing jobs of the selected file.
    case jobs

    /// The pane's title.
    public var title: String {
        switch self {
        case .groups: "Groups"
        case .files: "Files"
        case .parts: "Parts"
        case .jobs: "Jobs"
        }
    }

    /// The next pane in Tab order.
    public var next: Pane { Pane(rawValue: (rawValue + 1) % Pane.allCases.count)! }

    /// The previous pane in Tab order.
    public var previous: Pane { Pane(rawValue: (rawValue + Pane.allCases.count - 1) % Pane.allCases.count)! }
}
