/// Byte-level checks on the hot path of planning: Foundation's `contains` on strings goes through
/// NSString and costs several times more, on every scalar of a 10,000-step runbook.
extension String {
    /// Whether the text holds `${`, i.e. may hold an expression.
    var mayHoldExpression: Bool { utf8.containsPair(UInt8(ascii: "$"), UInt8(ascii: "{")) }

    var containsNewline: Bool { utf8.contains(UInt8(ascii: "\n")) }

    /// Whether the text contains `needle`, compared byte by byte.
    func containsBytes(_ needle: String) -> Bool {
        let haystack = Array(utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}

extension String.UTF8View {
    func containsPair(_ first: UInt8, _ second: UInt8) -> Bool {
        var previous: UInt8 = 0
        for byte in self {
            if previous == first && byte == second { return true }
            previous = byte
        }
        return false
    }
}
