/// Finds waivers in a file's text. Comments are not in the YAML tree, so the text is scanned:
/// a waiver is the marker after a `#` (YAML) or inside `<!-- -->` (Markdown).
public enum WaiverScanner {
    static let marker = "homelab:waive"

    /// The well-formed waivers and, as `waiver` findings, the ones without a reason or naming
    /// no rule of the catalog.
    public static func scan(text: String, file: String, markdown: Bool, findings: inout RuleFindings) -> [Waiver] {
        var waivers: [Waiver] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: marker) else { continue }
            let opener = markdown ? "<!--" : "#"
            let before = line[..<range.lowerBound].trimmingSuffix(while: \.isWhitespace)
            guard before.hasSuffix(opener) else { continue }
            var rest = line[range.upperBound...]
            if markdown, let end = rest.range(of: "-->") { rest = rest[..<end.lowerBound] }
            let words = rest.split(whereSeparator: \.isWhitespace)
            // At the comment's opener, where the reader sees the waiver start.
            let column = before.unicodeScalars.count - opener.unicodeScalars.count + 1
            let location = SourceLocation(file: file, line: index + 1, column: column)
            guard let rule = words.first.map(String.init) else {
                findings.error(location, "a waiver names the rule it waives and why: '\(marker) <rule> <reason>'")
                continue
            }
            let waivable = RuleCatalog.names.filter { $0 != WaiverRule.ruleName }
            guard waivable.contains(rule) else {
                findings.error(
                    location, "'\(rule)' is not a rule that can be waived\(Suggestion.hint(for: rule, in: waivable)); see 'homelab validate --rules'")
                continue
            }
            guard words.count > 1 else {
                findings.error(location, "the waiver of '\(rule)' gives no reason; write why after the rule's name")
                continue
            }
            waivers.append(Waiver(file: file, line: index + 1, column: column, rule: rule, reason: words.dropFirst().joined(separator: " ")))
        }
        return waivers
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
