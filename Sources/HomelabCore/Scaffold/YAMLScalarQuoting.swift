/// Decides when a string must be quoted to read back as the same string: YAML 1.1 readers
/// (Kubernetes' own, Flux's) turn `yes`, `on`, `0755` or `1:30` into booleans and numbers, and
/// indicators or `: ` / ` #` change the structure.
public enum YAMLScalarQuoting {
    public static func scalar(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    public static func key(_ text: String) -> String {
        scalar(text)
    }

    static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " || last == ":" { return true }
        // A leading '-' reads as plain text when a letter follows (`-c`); other indicators never do.
        let dashWord = first == "-" && text.dropFirst().first.map { $0.isASCII && $0.isLetter } == true
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !dashWord { return true }
        if text.contains(": ") || text.contains(" #") { return true }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return true }
        return isReserved(text) || looksNumeric(text)
    }

    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    private static func isReserved(_ text: String) -> Bool {
        reservedWords.contains(text.lowercased())
    }

    /// Conservative: anything that starts like a number (ints, floats, octal, hex, exponents,
    /// sexagesimal `1:30`, dates) and holds nothing but number characters.
    private static func looksNumeric(_ text: String) -> Bool {
        var body = Substring(text)
        if let sign = body.first, sign == "+" || sign == "-" { body = body.dropFirst() }
        let lowered = body.lowercased()
        if [".inf", ".nan"].contains(lowered) { return true }
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return false }
        if lowered.hasPrefix("0x") || lowered.hasPrefix("0o") || lowered.hasPrefix("0b") { return true }
        let numberCharacters = Set("0123456789._:-+eE")
        return body.allSatisfy { numberCharacters.contains($0) } && body.contains(where: \.isNumber)
    }

    /// A YAML double-quoted scalar that reads back as exactly `text`: quotes, backslashes and
    /// control characters escaped. Every YAML writer of the project quotes through this one.
    public static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
