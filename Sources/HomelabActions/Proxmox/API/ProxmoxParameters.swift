/// A parameter value as the API takes it: sent as JSON (strings, numbers, true/false), so no
/// form-encoding trap applies.
public enum ProxmoxValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)

    /// How Proxmox writes the value back in a config (`1`/`0` for booleans).
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): flag ? "1" : "0"
        }
    }
}

/// Config keys and other parameters of one call, by their API names (`net0`, `scsihw`, ...).
public typealias ProxmoxParameters = [String: ProxmoxValue]
