import Foundation

/// Time helpers shared by every entity: millisecond precision, ISO-8601 UTC text, epoch milliseconds.
public enum Timestamp {
    /// `date` rounded to whole milliseconds, so it survives the database and JSON unchanged.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(millis(date)) / 1000)
    }

    /// The current time rounded to milliseconds.
    public static func now() -> Date { truncated(Date()) }

    /// Milliseconds since 1970 (how the database stores times).
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Milliseconds since 1970, or nil.
    public static func millis(_ date: Date?) -> Int64? {
        date.map { millis($0) }
    }

    /// The time `millis` milliseconds after 1970.
    public static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// `2026-11-25T02:15:13.123Z`.
    public static func format(_ date: Date) -> String {
        let total = millis(date)
        let ms = Int(((total % 1000) + 1000) % 1000)
        let seconds = (total - Int64(ms)) / 1000
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = civil(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        return text + "." + pad(ms, 3) + "Z"
    }

    /// Parses ISO-8601 UTC text (`Z` or an offset), with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        guard let date = (try? withFraction.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
            return nil
        }
        return truncated(date)
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
