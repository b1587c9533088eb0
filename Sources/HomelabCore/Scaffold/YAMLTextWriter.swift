/// Writes a `YAMLText` in the block style of Kubernetes manifests (two spaces, lists indented
/// under their key), quoting only the scalars a YAML reader would otherwise misread.
public enum YAMLTextWriter {
    public static func document(_ root: YAMLText) -> String {
        lines(root, indent: 0).map { $0 + "\n" }.joined()
    }

    private static func lines(_ node: YAMLText, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .map(let entries):
            return entries.flatMap { entry in keyed(YAMLScalarQuoting.key(entry.key), entry.value, indent: indent, pad: pad) }
        case .list(let items):
            return items.flatMap { item -> [String] in
                switch item {
                case .map(let entries) where !entries.isEmpty: return dashed(lines(item, indent: indent + 2), pad: pad)
                case .list(let inner) where !inner.isEmpty: return dashed(lines(item, indent: indent + 2), pad: pad)
                case .block(let text): return ["\(pad)- \(blockHeader(text))"] + blockLines(text, indent: indent + 2)
                default: return ["\(pad)- \(inline(item))"]
                }
            }
        default:
            return [pad + inline(node)]
        }
    }

    private static func keyed(_ key: String, _ value: YAMLText, indent: Int, pad: String) -> [String] {
        switch value {
        case .map(let entries) where !entries.isEmpty: return ["\(pad)\(key):"] + lines(value, indent: indent + 2)
        case .list(let items) where !items.isEmpty: return ["\(pad)\(key):"] + lines(value, indent: indent + 2)
        case .block(let text): return ["\(pad)\(key): \(blockHeader(text))"] + blockLines(text, indent: indent + 2)
        default: return ["\(pad)\(key): \(inline(value))"]
        }
    }

    /// A nested mapping or list as a list item: its first line takes the dash, the rest keep
    /// the indentation they were written with (two more than the dash).
    private static func dashed(_ nested: [String], pad: String) -> [String] {
        guard let first = nested.first else { return [] }
        return [pad + "- " + first.dropFirst(pad.count + 2)] + nested.dropFirst()
    }

    private static func inline(_ node: YAMLText) -> String {
        switch node {
        case .string(let text): return YAMLScalarQuoting.scalar(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .map: return "{}"
        case .list: return "[]"
        case .block(let text): return YAMLScalarQuoting.scalar(text)
        }
    }

    /// `|` keeps exactly one final newline; `|-` when the text has none.
    private static func blockHeader(_ text: String) -> String {
        text.hasSuffix("\n") ? "|" : "|-"
    }

    private static func blockLines(_ text: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var body = text
        if body.hasSuffix("\n") { body.removeLast() }
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
    }
}
