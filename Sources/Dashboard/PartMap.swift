import UploadModel

/// The part map: one cell per part, or several parts folded into a cell for huge files.
/// A folded cell shows the most urgent state among its parts: failed, then uploading, then
/// pending, then uploaded.
public enum PartMap {
    /// The glyph of a state (readable without colour).
    public static func glyph(_ status: PartStatus) -> Character {
        switch status {
        case .uploaded: "█"
        case .uploading: "▒"
        case .pending: "·"
        case .failed: "✗"
        }
    }

    /// How many parts each of `cells` cells holds.
    public static func partsPerCell(total: Int, cells: Int) -> Int {
        guard total > 0, cells > 0 else { return 1 }
        return (total + cells - 1) / cells
    }

    /// The states of the map's cells for parts in part-number order.
    public static func cells(_ parts: [FilePart], cells: Int) -> [PartStatus] {
        let per = partsPerCell(total: parts.count, cells: cells)
        var out: [PartStatus] = []
        out.reserveCapacity((parts.count + per - 1) / per)
        var index = 0
        while index < parts.count {
            let slice = parts[index..<min(parts.count, index + per)]
            out.append(fold(slice))
            index += per
        }
        return out
    }

    private static func fold(_ parts: ArraySlice<FilePart>) -> PartStatus {
        var seen = Set<PartStatus>()
        for part in parts { seen.insert(part.status) }
        for status in [PartStatus.failed, .uploading, .pending] where seen.contains(status) { return status }
        return .uploaded
    }
}
