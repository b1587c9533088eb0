/// Yams checks mapping keys for duplicates by hashing them, which walks the whole key: a key that
/// is an alias of a "billion laughs" node would hang the composer before our bounded walk starts.
/// Runbooks never need complex keys, so when a file uses aliases, complex keys are refused up front.
enum AliasGuard {
    private static var aliasToken: Regex<AnyRegexOutput> { try! Regex(#"(^|[\s\[\{,:?-])\*[A-Za-z0-9_.-]"#) }
    private static var complexKey: Regex<AnyRegexOutput> { try! Regex(#"(^|\n)[ \t-]*\?([ \t]|$)|\*[A-Za-z0-9_.-]+[ \t]*:([ \t]|$)|[\]\}][ \t]*:([ \t]|$)"#) }

    /// The location of the first complex key in a file that also uses aliases, if any.
    static func complexKeyWithAliases(in text: String) -> (line: Int, column: Int)? {
        guard text.contains("*"), text.firstMatch(of: aliasToken) != nil,
              let match = text.firstMatch(of: complexKey) else { return nil }
        var start = match.range.lowerBound
        while start < text.endIndex, text[start] == "\n" || text[start] == " " || text[start] == "\t" || text[start] == "-" {
            start = text.index(after: start)
        }
        let before = text[..<start]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return (line, text[lineStart..<start].unicodeScalars.count + 1)
    }
}
