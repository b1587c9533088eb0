import Foundation

/// Durations as runbooks write them: `500ms`, `5s`, `10m`, `1h30m`, `2d`.
public enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parsed byte by byte: it runs for every step of every run (timeouts, backoffs, waits), and
    /// the Character and Foundation version cost 5 % of a 10,000-step run.
    public static func parse(_ text: String) -> Duration? {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            // Unicode spaces around it are trimmed; anything else outside ASCII is no duration.
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.utf8.allSatisfy { $0 < 0x80 } ? parse(trimmed) : nil
        }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { start = utf8.index(after: start) }
        while start < end, isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        guard start < end else { return nil }
        var total: Int64 = 0
        var index = start
        while index < end {
            var number: Int64 = 0
            var sawDigit = false
            while index < end, utf8[index] >= 0x30, utf8[index] <= 0x39 {
                let (tens, overflow) = number.multipliedReportingOverflow(by: 10)
                let (sum, carry) = tens.addingReportingOverflow(Int64(utf8[index] - 0x30))
                guard !overflow, !carry else { return nil }
                number = sum
                sawDigit = true
                index = utf8.index(after: index)
            }
            guard sawDigit else { return nil }
            var letters: [UInt8] = []
            while index < end, isLetter(utf8[index]), letters.count < 3 {
                letters.append(utf8[index])
                index = utf8.index(after: index)
            }
            guard let unit = milliseconds(per: letters) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: unit)
            let (sum, carry) = total.addingReportingOverflow(product)
            guard !overflow, !carry else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private static func milliseconds(per suffix: [UInt8]) -> Int64? {
        units.first { $0.suffix.utf8.elementsEqual(suffix) }?.milliseconds
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
