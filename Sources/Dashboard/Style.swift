/// What a cell means on screen; a theme turns each role into colours and attributes.
public enum Style: UInt8, Sendable, CaseIterable, Hashable {
    /// Plain text.
    case normal
    /// Secondary text: ids, hints, empty states.
    case dim
    /// The header row.
    case header
    /// A pane's frame.
    case border
    /// The frame of the pane with the focus.
    case borderFocused
    /// A pane's title.
    case title
    /// Column headings.
    case columnHeading
    /// The selected row in the focused pane.
    case selected
    /// The selected row in a pane without the focus.
    case selectedInactive
    /// A key name in the footer and help.
    case key
    /// An action that is not available (read-only mode).
    case disabled
    /// The filled part of a progress bar.
    case barFilled
    /// The empty part of a progress bar.
    case barEmpty
    /// The throughput sparkline.
    case sparkline
    /// An error text.
    case error
    /// A stalled group or file.
    case stalled
    /// Good news in the status line.
    case success
    /// A dialog's frame and text.
    case dialog
    /// The live connection indicator.
    case live
    /// The reconnecting / database-only indicator.
    case offline
    /// Waiting: PENDING, QUEUED.
    case statusPending
    /// Moving: UPLOADING, IN_PROGRESS, RUNNING, PROCESSING, UPLOADED.
    case statusActive
    /// Done: COMPLETED, SUCCEEDED, UPLOADED parts.
    case statusDone
    /// Broken: FAILED.
    case statusFailed
    /// Stopped by someone: CANCELLED, EXPIRED.
    case statusStopped

    /// The theme key of the role (`status-failed`, `border-focused`, ...).
    public var themeKey: String {
        var key = ""
        for character in String(describing: self) {
            if character.isUppercase { key += "-" + character.lowercased() } else { key.append(character) }
        }
        return key
    }
}
