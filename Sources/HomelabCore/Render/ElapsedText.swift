/// Durations as an operator reads them while waiting: `[01:05]` stamps, `1.2s`, `2m05s`, `1h02m`.
/// Not `DurationText`, which spells durations the way runbooks write them (`1s200ms`).
public enum ElapsedText {
    /// `00:12`, `59:59`, `1:00:00`: the stamp in front of progress lines.
    public static func clock(_ duration: Duration) -> String {
        let seconds = max(0, duration.components.seconds)
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return hours > 0 ? "\(hours):\(pad(minutes)):\(pad(rest))" : "\(pad(minutes)):\(pad(rest))"
    }

    /// `70ms`, `1.2s`, `45s`, `2m05s`, `1h02m`: precise for short steps, coarse for long ones.
    public static func short(_ duration: Duration) -> String {
        let milliseconds = max(0, milliseconds(duration))
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 10_000 {
            return "\(milliseconds / 1000).\(milliseconds % 1000 / 100)s"
        }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(pad(seconds % 60))s" }
        return "\(seconds / 3600)h\(pad(seconds / 60 % 60))m"
    }

    public static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
