import HomelabCore

/// The step input that says where an integration connects: an address, or an inventory entry
/// (one source of truth for how a host is reached), with step inputs overriding the entry's
/// settings. Each integration describes its own (`proxmox`, `host`) and resolves it here, so
/// every client reads inventory entries the same way and names the same mistakes.
struct EndpointInput: Sendable {
    /// The input's name: `proxmox`, `host`.
    let name: String
    /// What it must be, for the error: "an address or an inventory entry with an 'address'".
    let expected: String
    /// Whether that error shows the kind of value found.
    var saysWhatWasFound = true
    /// Keys of the entry that give the address, the first present wins: `api`; `address`, `host`.
    let addressKeys: [String]
    /// Where the entry keeps its connection settings: nil for the entry itself, or the key of a
    /// mapping in it (`ssh`).
    var settingsKey: String?
    /// Step inputs that override the entry's setting of the same name (`node`; `user`, `port`).
    var overrides: [String] = []

    /// Reads the endpoint from a step's inputs.
    func resolve(_ call: ActionCall) throws(EndpointInputError) -> EndpointSettings {
        let given = call.inputs[name] ?? .null
        var address: String?
        var settings: [(String, Value)] = []
        switch given {
        case .string(let text):
            address = text
        case .map(let pairs):
            address = addressKeys.lazy.compactMap { key in EndpointSettings.text(given[key]) }.first
            if let settingsKey {
                if case .map(let nested)? = pairs.first(where: { $0.0 == settingsKey })?.1 { settings = nested }
            } else {
                settings = pairs
            }
        default:
            throw .notAnEndpoint(input: name, expected: expected, found: saysWhatWasFound ? given.kindName : nil)
        }
        for key in overrides {
            if let value = call.inputs[key], value != .null { settings.insert((key, value), at: 0) }
        }
        return EndpointSettings(input: name, address: address, entry: given, settings: settings)
    }
}
