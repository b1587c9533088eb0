import Foundation

/// A service's README.md: its text, read for headings, image and chart mentions, and waivers.
public struct ReadmeFile: Sendable {
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    public var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The 1-based line of a `## Heading` (also `## Heading and more`), if present.
    public func headingLine(_ heading: String) -> Int? {
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == heading || trimmed.hasPrefix(heading + " ") { return index + 1 }
        }
        return nil
    }

    /// The text of a `##` section: from below its heading to the next heading of level 1 or 2.
    public func section(_ heading: String) -> String? {
        guard let start = headingLine(heading) else { return nil }
        var body: [Substring] = []
        for line in lines.dropFirst(start) {
            if line.hasPrefix("## ") || line.hasPrefix("# ") { break }
            body.append(line)
        }
        return body.joined(separator: "\n")
    }
}
