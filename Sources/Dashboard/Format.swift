import Foundation

/// Short human figures for narrow columns.
public enum Format {
    /// `512 B`, `12.3 KiB`, `4.0 MiB`, `1.2 GiB`.
    public static func bytes(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(max(0, bytes))
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        if value >= 100 { return "\(Int(value.rounded())) " + units[unit] }
        let tenths = Int((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10) " + units[unit]
    }

    /// `1.2 MiB/s`, or `-` when nothing moves (`0 B/s` with `zero`).
    public static func rate(_ bytesPerSecond: Double, zero: String = "-") -> String {
        bytesPerSecond < 1 ? zero : bytes(Int64(bytesPerSecond)) + "/s"
    }

    /// `45s`, `12m`, `3h`, `5d`: the age of something, from a time to now.
    public static func age(from date: Date, now: Date) -> String {
        duration(max(0, now.timeIntervalSince(date)))
    }

    /// `45s`, `12m`, `3h`, `5d`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// `0:07`, `12:30`, `1:02:03`: time left or taken, precise.
    public static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// `42%` of a fraction in 0...1.
    public static func percent(_ fraction: Double) -> String {
        "\(Int((min(1, max(0, fraction)) * 100).rounded(.down)))%"
    }

    /// A bar of `width` cells, `filled` of them full: returns the two halves' lengths.
    public static func bar(_ fraction: Double, width: Int) -> (filled: Int, empty: Int) {
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
        return (filled, width - filled)
    }
}
