/// A short, stable fingerprint of a step instance: its action, dependencies, conditions and the
/// inputs as the plan resolved them (secrets stay masked, so rotating a secret changes nothing).
/// FNV-1a, 64 bits: it detects change, it does not defend against anyone.
enum Fingerprint {
    static func of(step: Step, inputs: [(String, Resolved)]) -> String {
        var text = step.uses.value + "\u{1}" + step.needs.map(\.value).joined(separator: ",")
        text += "\u{1}" + (step.when?.scalar?.text ?? "") + "\u{1}" + (step.isDestructive ? "d" : "") + (step.isFinally ? "f" : "")
        text += "\u{1}" + JSONWriter.compact(.map(inputs.map { ($0.0, $0.1.display) }))
        return hex(fnv1a(text))
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
