/// An input after evaluation at plan time. Some parts are only known at run time (step outputs,
/// params not given yet) and secrets are never read by a plan: those stay unresolved and are
/// shown by their display text (`${steps.etcd.outputs.path}`, `<secret:proxmox-token>`).
public indirect enum Resolved: Sendable, Equatable {
    case value(Value)
    case list([Resolved])
    case map([Entry])
    /// Known at run time only; `display` is the expression text.
    case deferred(String)
    /// Holds a secret; `display` masks it (`<secret:name>`, or the template with masks in it).
    case secret(String)

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: Resolved
    }

    /// The value, when every part of it is known.
    public var value: Value? {
        switch self {
        case .value(let value): return value
        case .list(let items):
            var values: [Value] = []
            for item in items {
                guard let value = item.value else { return nil }
                values.append(value)
            }
            return .list(values)
        case .map(let entries):
            var pairs: [(String, Value)] = []
            for entry in entries {
                guard let value = entry.value.value else { return nil }
                pairs.append((entry.key, value))
            }
            return .map(pairs)
        case .deferred, .secret: return nil
        }
    }

    /// What a plan shows: known parts as they are, unknown parts by their display text.
    public var display: Value {
        switch self {
        case .value(let value): return value
        case .list(let items): return .list(items.map(\.display))
        case .map(let entries): return .map(entries.map { ($0.key, $0.value.display) })
        case .deferred(let text), .secret(let text): return .string(text)
        }
    }

    public var containsSecret: Bool {
        switch self {
        case .secret: return true
        case .value, .deferred: return false
        case .list(let items): return items.contains { $0.containsSecret }
        case .map(let entries): return entries.contains { $0.value.containsSecret }
        }
    }

    /// Builds the collection form, collapsing to `.value` when everything is known.
    static func list(of items: [Resolved]) -> Resolved {
        let list = Resolved.list(items)
        return list.value.map(Resolved.value) ?? list
    }

    static func map(of entries: [Entry]) -> Resolved {
        let map = Resolved.map(entries)
        return map.value.map(Resolved.value) ?? map
    }
}
