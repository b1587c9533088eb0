import Foundation
import HomelabCore

/// A decoded JSON value read leniently: the API does not enforce its return schema, so numbers
/// may arrive as strings and booleans as 1/0 (bpg's CustomInt/CustomBool do the same).
enum ProxmoxJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ProxmoxJSON])
    case object([String: ProxmoxJSON])

    /// A value parsed by homelab's one JSON parser. Numbers are integers when written as
    /// integers; a repeated key keeps its last value.
    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .list(let items): self = .array(items.map(ProxmoxJSON.init))
        case .map(let pairs): self = .object(Dictionary(pairs.map { ($0.0, ProxmoxJSON($0.1)) }, uniquingKeysWith: { _, last in last }))
        }
    }

    /// Nil when the bytes are not JSON (plain-text errors from outside the API handler).
    static func parse(_ bytes: [UInt8]) -> ProxmoxJSON? {
        guard !bytes.isEmpty, let value = try? JSONParser.parse(bytes: bytes) else { return nil }
        return ProxmoxJSON(value)
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
