/// Yams checks mapping keys for duplicates by hashing them, which walks the whole key: a key that
/// is an alias of a "billion laughs" node would hang the composer before our bounded walk starts.
/// Runbooks never need complex keys, so when a file uses aliases, complex keys are refused up front.
/// A byte scan, not a regular expression: it runs on every file, 10,000-step runbooks included.
enum AliasGuard {
    /// The line and column of the first complex key in a file that also uses aliases, if any.
    static func complexKeyWithAliases(in text: String) -> (line: Int, column: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "*")), containsAlias(bytes) else { return nil }
        var line = 1
        var lineStart = 0
        var atLineStart = true
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
                atLineStart = true
                index += 1
                continue
            }
            if atLineStart && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "-")) {
                index += 1
                continue
            }
            // `? key`: an explicit key at the start of a line.
            if atLineStart && byte == UInt8(ascii: "?") && isBlankOrEnd(bytes, index + 1) {
                return (line, column(bytes, from: lineStart, to: index))
            }
            atLineStart = false
            // `*alias: value`, `[a, b]: value`, `{a: b}: value`.
            var end: Int?
            if byte == UInt8(ascii: "*") && isAliasStart(bytes, index) {
                var cursor = index + 1
                while cursor < bytes.count && isAnchorByte(bytes[cursor]) { cursor += 1 }
                end = cursor
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                end = index + 1
            }
            if let end, isKeyColon(bytes, end) { return (line, column(bytes, from: lineStart, to: index)) }
            index += 1
        }
        return nil
    }

    private static func containsAlias(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { bytes[$0] == UInt8(ascii: "*") && isAliasStart(bytes, $0) }
    }

    /// A `*` that starts a token and is followed by an anchor name.
    private static func isAliasStart(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard index + 1 < bytes.count, isAnchorByte(bytes[index + 1]) else { return false }
        guard index > 0 else { return true }
        return " \t\n[{,:?-".utf8.contains(bytes[index - 1])
    }

    private static func isAnchorByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "_.-".utf8.contains(byte)
    }

    /// Spaces or tabs, then `:` followed by a blank or the end: what makes the token before it a key.
    private static func isKeyColon(_ bytes: [UInt8], _ start: Int) -> Bool {
        var cursor = start
        while cursor < bytes.count && (bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t")) { cursor += 1 }
        return cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":") && isBlankOrEnd(bytes, cursor + 1)
    }

    private static func isBlankOrEnd(_ bytes: [UInt8], _ index: Int) -> Bool {
        index >= bytes.count || bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
            || bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r")
    }

    /// 1-based column in Unicode scalars (UTF-8 continuation bytes do not count).
    private static func column(_ bytes: [UInt8], from start: Int, to index: Int) -> Int {
        bytes[start..<index].filter { $0 & 0xC0 != 0x80 }.count + 1
    }
}
