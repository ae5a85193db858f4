/// One entry of the key table that drives key handling, the footer, the help overlay and
/// read-only mode: actions are data.
public struct KeyAction: Sendable, Hashable {
    /// What an action does.
    public enum Command: String, Sendable, Hashable, CaseIterable {
        /// Move the selection.
        case up, down, pageUp, pageDown, first, last
        /// Move the focus between panes.
        case nextPane, previousPane
        /// Drill into the selection / back out.
        case open, back
        /// Open the inspector on the selection / toggle the problems view.
        case inspect, problems
        /// Filter the focused pane.
        case filter
        /// Sort the focused pane by the next column / reverse it.
        case sort, reverse
        /// Retry, cancel or delete the selection.
        case retry, cancel, delete
        /// Show or hide the help.
        case help
        /// Leave.
        case quit
    }

    /// What the action does.
    public let command: Command
    /// The keys that trigger it.
    public let keys: [Key]
    /// How the keys are written in the footer and help.
    public let label: String
    /// A short word for the footer.
    public let short: String
    /// One line for the help.
    public let summary: String
    /// Whether it changes uploads (removed by `--readonly`).
    public let mutates: Bool
    /// Whether it asks for confirmation first.
    public let confirms: Bool
    /// Whether the footer shows it.
    public let inFooter: Bool

    /// The dashboard's key table, in help order.
    public static let table: [KeyAction] = [
        KeyAction(.up, [.up, .character("k")], "↑/k", "up", "move up", footer: false),
        KeyAction(.down, [.down, .character("j")], "↓/j", "down", "move down", footer: false),
        KeyAction(.pageUp, [.pageUp], "PgUp", "page", "one page up", footer: false),
        KeyAction(.pageDown, [.pageDown, .character(" ")], "PgDn", "page", "one page down", footer: false),
        KeyAction(.first, [.home, .character("g")], "g", "first", "first row", footer: false),
        KeyAction(.last, [.end, .character("G")], "G", "last", "last row", footer: false),
        KeyAction(.nextPane, [.tab], "Tab", "pane", "next pane"),
        KeyAction(.previousPane, [.backTab], "S-Tab", "pane", "previous pane", footer: false),
        KeyAction(.open, [.enter, .right, .character("l")], "⏎", "open", "open the selection (next pane; inspects a part or job)"),
        KeyAction(.back, [.escape, .left, .character("h")], "Esc", "back", "back: clears a filter, closes a view, previous pane", footer: false),
        KeyAction(.inspect, [.character("i")], "i", "inspect", "inspect the selection: every field, error, output, history"),
        KeyAction(.problems, [.character("!")], "!", "problems", "show / hide problems across all groups"),
        KeyAction(.filter, [.character("/")], "/", "filter", "filter the pane (Enter applies, Esc clears)"),
        KeyAction(.sort, [.character("s")], "s", "sort", "sort by the next column"),
        KeyAction(.reverse, [.character("S")], "S", "reverse", "reverse the order", footer: false),
        KeyAction(.retry, [.character("r")], "r", "retry", "retry what failed: a part, a job, a file or a whole group", mutates: true),
        KeyAction(.cancel, [.character("c")], "c", "cancel", "cancel the file or group (asks first)", mutates: true, confirms: true),
        KeyAction(.delete, [.character("d")], "d", "delete", "delete the file or group (asks first)", mutates: true, confirms: true),
        KeyAction(.help, [.character("?")], "?", "help", "show / hide this help"),
        KeyAction(.quit, [.character("q"), .interrupt], "q", "quit", "quit"),
    ]

    /// The action a key triggers, if any.
    public static func action(for key: Key) -> KeyAction? {
        table.first { $0.keys.contains(key) }
    }

    private init(_ command: Command, _ keys: [Key], _ label: String, _ short: String, _ summary: String,
                 mutates: Bool = false, confirms: Bool = false, footer: Bool = true) {
        self.command = command
        self.keys = keys
        self.label = label
        self.short = short
        self.summary = summary
        self.mutates = mutates
        self.confirms = confirms
        self.inFooter = footer
    }
}
