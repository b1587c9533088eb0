/// Deterministic JSON text for values: keys in the order given, no dependency on Foundation's
/// dictionary ordering, so golden outputs stay stable. Writes bytes, not String appends: a
/// 10,000-step plan is several megabytes of JSON. homelab's one JSON writer: plans, run events,
/// the journal, the lock file and the Proxmox request bodies all go through it.
public enum JSONWriter {
    public static func compact(_ value: Value) -> String {
        String(decoding: compactBytes(value), as: UTF8.self)
    }

    /// The same as bytes, for what goes straight to a file or a socket (the journal, request
    /// bodies) without a detour through String.
    public static func compactBytes(_ value: Value, newline: Bool = false) -> [UInt8] {
        var writer = Writer(indent: nil)
        writer.write(value, level: 0)
        if newline { writer.bytes.append(UInt8(ascii: "\n")) }
        return writer.bytes
    }

    /// Indented by two spaces, `"key": value`, no newline at the end.
    public static func prettyBytes(_ value: Value) -> [UInt8] {
        var writer = Writer(indent: Array("  ".utf8))
        writer.write(value, level: 0)
        return writer.bytes
    }

    public static func pretty(_ value: Value) -> String {
        String(decoding: prettyBytes(value), as: UTF8.self)
    }

    private struct Writer {
        let indent: [UInt8]?
        var bytes: [UInt8] = []

        init(indent: [UInt8]?) {
            self.indent = indent
            bytes.reserveCapacity(4096)
        }

        mutating func write(_ value: Value, level: Int) {
            switch value {
            case .null: bytes += "null".utf8
            case .bool(let b): bytes += (b ? "true" : "false").utf8
            case .int(let i): bytes += String(i).utf8
            case .double(let d): bytes += (d.isFinite ? String(d) : "null").utf8
            case .string(let s): quote(s)
            case .list(let items):
                container(items.count, open: UInt8(ascii: "["), close: UInt8(ascii: "]"), level: level) { index, writer in
                    writer.write(items[index], level: level + 1)
                }
            case .map(let pairs):
                container(pairs.count, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), level: level) { index, writer in
                    writer.quote(pairs[index].0)
                    writer.bytes.append(UInt8(ascii: ":"))
                    if writer.indent != nil { writer.bytes.append(UInt8(ascii: " ")) }
                    writer.write(pairs[index].1, level: level + 1)
                }
            }
        }

        private mutating func container(_ count: Int, open: UInt8, close: UInt8, level: Int, element: (Int, inout Writer) -> Void) {
            bytes.append(open)
            guard count > 0 else {
                bytes.append(close)
                return
            }
            for index in 0..<count {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                element(index, &self)
            }
            newline(level)
            bytes.append(close)
        }

        private mutating func newline(_ level: Int) {
            guard let indent else { return }
            bytes.append(UInt8(ascii: "\n"))
            for _ in 0..<level { bytes += indent }
        }

        mutating func quote(_ string: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes += "\\\"".utf8
                case UInt8(ascii: "\\"): bytes += "\\\\".utf8
                case UInt8(ascii: "\n"): bytes += "\\n".utf8
                case UInt8(ascii: "\r"): bytes += "\\r".utf8
                case UInt8(ascii: "\t"): bytes += "\\t".utf8
                case 0..<0x20:
                    let hex = String(byte, radix: 16)
                    bytes += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                default: bytes.append(byte) // UTF-8 passes through unchanged
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
