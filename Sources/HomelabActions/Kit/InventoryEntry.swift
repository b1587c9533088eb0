import HomelabCore

/// Typed reads from one inventory entry (a mapping), with errors that name the entry and the key.
struct InventoryEntry {
    let pairs: [(String, Value)]
    /// How messages name the entry: `cp-1`, else `VM 201`.
    var label: String

    init(_ value: Value, what: String) throws {
        guard case .map(let pairs) = value else {
            throw InventoryEntryError(message: "\(what) must be a mapping (an inventory entry such as ${item}), found \(value.kindName)")
        }
        self.pairs = pairs
        label = what
    }

    var keys: [String] { pairs.map(\.0) }

    /// The value of `key`, nil when absent or null.
    func raw(_ key: String) -> Value? {
        guard let value = pairs.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        switch value {
        case .string(let text): return text
        case .int, .double, .bool: return value.text
        default: throw wrongType(key, value, "a string")
        }
    }

    func int(_ key: String, _ unit: String = "") throws -> Int? {
        guard let value = raw(key) else { return nil }
        switch value {
        case .int(let number): return number
        case .string(let text) where Int(text) != nil: return Int(text)
        default: throw wrongType(key, value, "an integer\(unit)")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .int(0), .string("0"), .string("false"): return false
        case .int(1), .string("1"), .string("true"): return true
        default: throw wrongType(key, value, "true or false")
        }
    }

    /// A list of strings; a single string is split on `;`, `,` and spaces, as Proxmox does.
    func strings(_ key: String) throws -> [String]? {
        guard let value = raw(key) else { return nil }
        switch value {
        case .list(let items):
            return try items.map { item in
                guard item.isScalar, item != .null else { throw wrongType(key, value, "a list of strings") }
                return item.text
            }
        case .string(let text):
            return text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
        default: throw wrongType(key, value, "a list of strings")
        }
    }

    func wrongType(_ key: String, _ value: Value, _ expected: String) -> InventoryEntryError {
        let shown = value.isScalar ? " '\(value.text)'" : ""
        return InventoryEntryError(key: key, message: "'\(key)' of \(label) must be \(expected), found \(value.kindName)\(shown)")
    }

    func invalid(_ key: String, _ problem: String) -> InventoryEntryError {
        InventoryEntryError(key: key, message: "'\(key)' of \(label) \(problem)")
    }

    /// A mistake in the entry as a whole.
    func invalid(_ problem: String) -> InventoryEntryError {
        InventoryEntryError(message: problem)
    }
}
