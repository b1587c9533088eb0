import HomelabCore

/// Writes a `Value` as block-style YAML for Ansible, which reads it with PyYAML (YAML 1.1): a
/// string such as `off`, `yes` or `128K` is quoted so it stays a string there (YAML 1.1 would make
/// `off` false), and every other string that is not plainly safe is written JSON-quoted, which
/// YAML reads as the same text.
enum AnsibleYAML {
    static func text(_ value: Value) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: Value, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .map(let pairs) where !pairs.isEmpty:
            for (key, item) in pairs {
                out += pad + scalar(.string(key)) + ":"
                append(item, indent: indent, into: &out)
            }
        case .list(let items) where !items.isEmpty:
            for item in items {
                out += pad + "-"
                if case .map(let pairs) = item, !pairs.isEmpty {
                    // `- key: value` with the mapping's other keys under the first.
                    var nested = ""
                    write(item, indent: indent + 2, into: &nested)
                    out += " " + nested.dropFirst(indent + 2)
                } else {
                    append(item, indent: indent, into: &out)
                }
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }

    /// After `key:` or `-`: a scalar or an empty collection on the same line, else a block below.
    private static func append(_ value: Value, indent: Int, into out: inout String) {
        switch value {
        case .map(let pairs) where !pairs.isEmpty:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        case .list(let items) where !items.isEmpty:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    static func scalar(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int, .double: return value.text
        case .list: return "[]"
        case .map: return "{}"
        case .string(let text): return isPlain(text) ? text : JSONWriter.compact(.string(text))
        }
    }

    /// Words YAML 1.1 reads as booleans or null.
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]

    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "/" || first == "_" else { return false }
        guard !reserved.contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-./@".unicodeScalars.contains($0)) }
    }
}
