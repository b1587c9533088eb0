import Foundation

/// A decoded JSON value read leniently: the API does not enforce its return schema, so numbers
/// may arrive as strings and booleans as 1/0 (bpg's CustomInt/CustomBool do the same).
enum ProxmoxJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ProxmoxJSON])
    case object([String: ProxmoxJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Int.self) { self = .int(number) }
        else if let number = try? container.decode(Double.self) { self = .double(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([ProxmoxJSON].self) { self = .array(items) }
        else { self = .object(try container.decode([String: ProxmoxJSON].self)) }
    }

    /// Nil when the bytes are not JSON (plain-text errors from outside the API handler).
    static func parse(_ bytes: [UInt8]) -> ProxmoxJSON? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(ProxmoxJSON.self, from: Data(bytes))
    }

    subscript(key: String) -> ProxmoxJSON {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    var isNull: Bool { self == .null }

    /// Text of a scalar: numbers as written, booleans as Proxmox writes them (1/0).
    var text: String? {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "1" : "0"
        default: nil
        }
    }

    var int: Int? {
        switch self {
        case .int(let number): number
        case .double(let number): number == number.rounded() && abs(number) < 9e18 ? Int(number) : nil
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces)) ?? Double(text).flatMap { $0 == $0.rounded() ? Int($0) : nil }
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }

    var bool: Bool? {
        switch self {
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text):
            switch text.lowercased() {
            case "1", "true", "yes", "on": true
            case "0", "false", "no", "off", "": false
            default: nil
            }
        default: nil
        }
    }

    var items: [ProxmoxJSON] {
        if case .array(let items) = self { return items }
        return []
    }

    var members: [String: ProxmoxJSON] {
        if case .object(let members) = self { return members }
        return [:]
    }
}
