import HomelabCore

/// An endpoint as a step gave it (see EndpointInput): its address, and its settings with the
/// step's overrides first, read with typed errors that name the setting and the host.
struct EndpointSettings: Sendable {
    /// The endpoint input's name, for messages.
    let input: String
    /// The input itself when it is text, else the entry's address; nil when neither gives one.
    let address: String?
    /// The inventory entry (`.null` when the step gave an address): for integration defaults
    /// such as a storage or a bridge.
    let entry: Value
    /// Step overrides first, then the entry's (or its settings mapping's) keys.
    let settings: [(String, Value)]

    /// The address, or the error saying what is missing.
    func requireAddress(_ what: String, advice: String) throws(EndpointInputError) -> String {
        guard let address, !address.isEmpty else { throw .noAddress(input: input, what: what, advice: advice) }
        return address
    }

    /// The first of `keys` that is set (not null, not empty), as text.
    func string(_ keys: String...) -> String? {
        for key in keys {
            // An empty override falls back to the entry's value, as an absent one does.
            if let text = settings.lazy.filter({ $0.0 == key }).compactMap({ Self.text($0.1) }).first { return text }
        }
        return nil
    }

    /// A TCP port setting, checked.
    func port(_ key: String) throws(EndpointInputError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let number = Int(text), (1...65535).contains(number) else {
            throw .invalid(setting: key, endpoint: address, expected: "a TCP port (1-65535)", found: text)
        }
        return number
    }

    /// A setting with a fixed set of values (a policy), checked.
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _: Choice.Type) throws(EndpointInputError) -> Choice? where Choice.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue)
            let expected = allowed.dropLast().joined(separator: ", ") + (allowed.count > 1 ? " or " : "") + (allowed.last ?? "")
            throw .invalid(setting: key, endpoint: address, expected: expected, found: text)
        }
        return choice
    }

    /// A setting of the inventory entry at a path, such as `storage.vm` (never a step input).
    func entrySetting(_ path: [String]) -> String? {
        var value: Value? = entry
        for key in path { value = value?[key] }
        guard let value, value.isScalar else { return nil }
        return Self.text(value)
    }

    /// Text of a scalar that is set: nil for absent, null and empty.
    static func text(_ value: Value?) -> String? {
        guard let value, value != .null, !value.text.isEmpty else { return nil }
        return value.text
    }
}
