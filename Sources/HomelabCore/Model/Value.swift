/// A plain data value: what params, inventory entries, inputs and outputs hold.
/// Mappings keep their keys in source order; renderers print them in that order, so the same
/// input always gives the same output.
public indirect enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case map([(String, Value)])

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.map(let a), .map(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .int(let i): hasher.combine(i)
        case .double(let d): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .list(let l): hasher.combine(l)
        case .map(let m):
            for (k, v) in m {
                hasher.combine(k)
                hasher.combine(v)
            }
        }
    }

    /// The value of a YAML node, with YAML 1.2 core-schema typing for plain scalars
    /// (so `no` stays the string "no", and `010` is the integer 10).
    public init(_ node: YAMLNode) {
        switch node.kind {
        case .sequence(let items):
            self = .list(items.map(Value.init))
        case .mapping(let pairs):
            self = .map(pairs.map { (Value($0.key).text, Value($0.value)) })
        case .scalar(let scalar):
            self = scalar.isPlain ? Value.resolvePlain(scalar.text) : .string(scalar.text)
        }
    }

    static func resolvePlain(_ text: String) -> Value {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        default: break
        }
        if let int = Int(text) { return .int(int) }
        if text.hasPrefix("0x"), let int = Int(text.dropFirst(2), radix: 16) { return .int(int) }
        if text.hasPrefix("0o"), let int = Int(text.dropFirst(2), radix: 8) { return .int(int) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
            text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
            let double = Double(text)
        {
            return .double(double)
        }
        return .string(text)
    }

    /// The value as a string where it is a scalar (for interpolation and map keys).
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return s
        case .list, .map: return JSONWriter.compact(self)
        }
    }

    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    public var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }

    /// Truthiness for `when:`: false, null, "", 0, "false" and empty collections are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !(s.isEmpty || s == "false")
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        }
    }

    public subscript(key: String) -> Value? {
        if case .map(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var keys: [String] {
        if case .map(let pairs) = self { return pairs.map(\.0) }
        return []
    }
}
