/// Deterministic JSON text for values: keys in the order given, no dependency on Foundation's
/// dictionary ordering, so golden outputs stay stable.
public enum JSONWriter {
    public static func compact(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: nil, level: 0)
        return out
    }

    public static func pretty(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", level: 0)
        return out
    }

    static func write(_ value: Value, into out: inout String, indent: String?, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): quote(s, into: &out)
        case .list(let items):
            writeContainer(items, open: "[", close: "]", into: &out, indent: indent, level: level) { item, out in
                write(item, into: &out, indent: indent, level: level + 1)
            }
        case .map(let pairs):
            writeContainer(pairs, open: "{", close: "}", into: &out, indent: indent, level: level) { pair, out in
                quote(pair.0, into: &out)
                out += indent == nil ? ":" : ": "
                write(pair.1, into: &out, indent: indent, level: level + 1)
            }
        }
    }

    private static func writeContainer<T>(
        _ items: [T], open: String, close: String, into out: inout String, indent: String?, level: Int,
        element: (T, inout String) -> Void
    ) {
        out += open
        guard !items.isEmpty else { out += close; return }
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
            element(item, &out)
        }
        if let indent { out += "\n" + String(repeating: indent, count: level) }
        out += close
    }

    static func quote(_ string: String, into out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
