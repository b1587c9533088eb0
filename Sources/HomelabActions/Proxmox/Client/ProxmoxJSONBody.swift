/// Parameters as a JSON object, keys sorted (reproducible bytes). JSON bodies carry `=`, `,`,
/// `;` and `+` untouched and booleans as true/false, so none of the form-encoding traps apply.
enum ProxmoxJSONBody {
    static func encode(_ parameters: ProxmoxParameters) -> [UInt8] {
        let members = parameters.keys.sorted().map { key in
            quoted(key) + ":" + value(parameters[key]!)
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    private static func value(_ value: ProxmoxValue) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
