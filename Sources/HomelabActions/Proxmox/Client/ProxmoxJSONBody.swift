import HomelabCore

/// Parameters as a JSON object, keys sorted (reproducible bytes), written by homelab's one JSON
/// writer. JSON bodies carry `=`, `,`, `;` and `+` untouched and booleans as true/false, so none
/// of the form-encoding traps apply.
enum ProxmoxJSONBody {
    static func encode(_ parameters: ProxmoxParameters) -> [UInt8] {
        JSONWriter.compactBytes(.map(parameters.keys.sorted().map { key in (key, value(parameters[key]!)) }))
    }

    private static func value(_ value: ProxmoxValue) -> Value {
        switch value {
        case .string(let text): .string(text)
        case .int(let number): .int(number)
        case .bool(let flag): .bool(flag)
        }
    }
}
