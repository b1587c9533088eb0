import HomelabCore

/// Writes values as YAML the way Talos prints machine configs: 4-space indentation, keys in the
/// order given, list items under their key. Strings that a YAML 1.1 or 1.2 reader could take for
/// something else (`off`, `010`, `true`, `: `) are double-quoted, so a reader gets back exactly
/// the value written. Deterministic: the same value always gives the same text.
public enum YAMLText {
    public static func documents(_ documents: [Value]) -> String {
        documents.map(document).joined(separator: "---\n")
    }

    public static func document(_ value: Value) -> String {
        var lines: [String] = []
        switch value {
        case .map(let pairs) where !pairs.isEmpty: mapping(pairs, indent: 0, into: &lines)
        case .list(let items) where !items.isEmpty: list(items, indent: 0, into: &lines)
        default: lines.append(scalar(value))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func mapping(_ pairs: [(String, Value)], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in pairs {
            let name = pad + scalar(.string(key)) + ":"
            switch value {
            case .map(let inner) where !inner.isEmpty:
                lines.append(name)
                mapping(inner, indent: indent + 4, into: &lines)
            case .list(let items) where !items.isEmpty:
                lines.append(name)
                list(items, indent: indent + 4, into: &lines)
            default:
                lines.append(name + " " + scalar(value))
            }
        }
    }

    private static func list(_ items: [Value], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            var inner: [String] = []
            switch item {
            case .map(let pairs) where !pairs.isEmpty: mapping(pairs, indent: indent + 2, into: &inner)
            case .list(let nested) where !nested.isEmpty: list(nested, indent: indent + 2, into: &inner)
            default:
                lines.append(pad + "- " + scalar(item))
                continue
            }
            // The item's first line starts on the dash's line.
            inner[0] = pad + "- " + inner[0].dropFirst(indent + 2)
            lines += inner
        }
    }

    /// One scalar (or an empty collection) as it is written after `key: `.
    public static func scalar(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
            if number.isNaN { return ".nan" }
            return String(number)
        case .string(let text): return isPlainSafe(text) ? text : quoted(text)
        case .list: return "[]"
        case .map: return "{}"
        }
    }

    /// YAML 1.1 booleans: Go's and Python's readers still take some of them for true and false.
    private static let yaml11Words: Set<String> = ["y", "n", "yes", "no", "on", "off"]
    private static let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        if first == " " || last == " " || yaml11Words.contains(text.lowercased()) { return false }
        if Value(YAMLNode(.scalar(.init(text: text)), at: .file(""))) != .string(text) { return false }
        // A leading indicator is safe only as `-x`, `:x`, `?x` (not followed by a space).
        if indicators.contains(first) {
            guard "-?:".contains(first), text.count > 1, text.dropFirst().first != " " else { return false }
        }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0.value < 0x80 || $0.properties.isAlphabetic }
    }

    private static func quoted(_ text: String) -> String {
        YAMLScalarQuoting.doubleQuoted(text)
    }
}
