/// The dashboard's panes: four in Tab order, and the problems view that replaces them.
public enum Pane: Int, Sendable, CaseIterable, Hashable {
    /// Upload groups.
    case groups
    /// Files of the selected group.
    case files
    /// Parts of the selected file.
    case parts
    /// Processing jobs of the selected file.
    case jobs
    /// Problems across all groups (`!`).
    case problems

    /// The pane's title.
    public var title: String {
        switch self {
        case .groups: "Groups"
        case .files: "Files"
        case .parts: "Parts"
        case .jobs: "Jobs"
        case .problems: "Problems"
        }
    }

    /// The panes of the main view, in Tab order.
    public static let main: [Pane] = [.groups, .files, .parts, .jobs]

    /// The table that holds the pane's rows, from the pane's declaration (its ``PaneSpec``).
    func makeTable(source: DashboardSource) -> TableModel {
        switch self {
        case .groups: GroupWindow(source: source)
        case .files: RowTable(spec: .files)
        case .parts: RowTable(spec: .parts)
        case .jobs: RowTable(spec: .jobs)
        case .problems: RowTable(spec: .problems)
        }
    }
}
