import Foundation

/// Durations as runbooks write them: `500ms`, `5s`, `10m`, `1h30m`, `2d`.
public enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    public static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == letters }) else { return nil }
            rest = rest.dropFirst(letters.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += product
        }
        return .milliseconds(total)
    }

    /// The shortest spelling: `1h30m`, `45s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        var ms = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms == 0 { return "0s" }
        var out = ""
        for unit in units.reversed() where ms >= unit.milliseconds {
            out += "\(ms / unit.milliseconds)\(unit.suffix)"
            ms %= unit.milliseconds
        }
        return out
    }
}
