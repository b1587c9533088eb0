import HomelabCore

/// What `http.check` waits for: a status (200, a list such as [200, 204], or a class such as
/// "2xx") and optionally a text the body must contain.
struct ResponseExpectation: Sendable, Equatable {
    var statuses: [ClosedRange<Int>]
    var contains: String?

    init(statuses: [ClosedRange<Int>] = [200...200], contains: String? = nil) {
        self.statuses = statuses
        self.contains = contains
    }

    /// Reads `expect-status`; the error says what forms are accepted.
    static func parse(_ value: Value?, contains: String?) throws -> ResponseExpectation {
        guard let value, value != .null else { return ResponseExpectation(contains: contains) }
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        var ranges: [ClosedRange<Int>] = []
        for item in items {
            let text = item.text.lowercased()
            if let code = Int(text), (100...599).contains(code) {
                ranges.append(code...code)
            } else if text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)), (1...5).contains(digit) {
                ranges.append((digit * 100)...(digit * 100 + 99))
            } else {
                throw ActionError("'expect-status' must be a status code (200), a class (2xx) or a list of them, found '\(item.text)'")
            }
        }
        guard !ranges.isEmpty else { throw ActionError("'expect-status' is an empty list") }
        return ResponseExpectation(statuses: ranges, contains: contains)
    }

    /// Nil when the response is as expected, else why not (for progress and the final error).
    func mismatch(_ response: WebResponse) -> String? {
        guard statuses.contains(where: { $0.contains(response.status) }) else {
            let excerpt = Self.excerpt(response.text)
            return "status \(response.status)" + (excerpt.isEmpty ? "" : " (\(excerpt))")
        }
        if let contains, !response.text.contains(contains) {
            return "status \(response.status), but the body does not contain '\(contains)'"
        }
        return nil
    }

    var summary: String {
        let codes = statuses.map { range in
            range.count == 1 ? "\(range.lowerBound)" : (range.count == 100 ? "\(range.lowerBound / 100)xx" : "\(range.lowerBound)-\(range.upperBound)")
        }
        return "status " + codes.joined(separator: " or ") + (contains.map { " with '\($0)' in the body" } ?? "")
    }

    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 120 ? String(line.prefix(120)) + "..." : line
    }
}
