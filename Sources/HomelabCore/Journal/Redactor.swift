import Foundation

/// Replaces every secret value with `<secret:name>` in what is about to be written or shown.
/// Applied to the journal, the log, terminal and JSON output alike, so a command that echoes a
/// token does not leak it either.
public struct Redactor: Sendable {
    /// Values shorter than this are replaced only where they stand as a word of their own: a
    /// one-letter secret `e` replaced everywhere made every `connection` unreadable (and told
    /// anyone reading which letter it was).
    public static let shortLength = 4

    private var secrets: [(value: String, name: String)] = []

    public init() {}

    /// Longer values first, so a secret that contains another is replaced whole. Returns false
    /// when the value was already known.
    @discardableResult
    public mutating func add(_ value: String, name: String) -> Bool {
        guard !value.isEmpty, !secrets.contains(where: { $0.value == value }) else { return false }
        secrets.append((value, name))
        secrets.sort { $0.value.count > $1.value.count }
        return true
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// What to tell the operator about a secret too short to hide everywhere; nil when it is long
    /// enough. Never contains the value.
    public static func shortSecretWarning(name: String, value: String) -> String? {
        guard !value.isEmpty, value.count < shortLength else { return nil }
        return "secret '\(name)' is only \(value.count) character\(value.count == 1 ? "" : "s") long: it is hidden from output only where it "
            + "stands as a word of its own; use a secret of at least \(shortLength) characters"
    }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret.value) {
            let mask = "<secret:\(secret.name)>"
            out =
                secret.value.count < Self.shortLength
                ? Self.replacingWords(secret.value, in: out, with: mask)
                : out.replacingOccurrences(of: secret.value, with: mask)
        }
        return out
    }

    public func redact(_ value: Value) -> Value {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(redact(text))
        case .list(let items): return .list(items.map(redact))
        case .map(let pairs): return .map(pairs.map { (redact($0.0), redact($0.1)) })
        default: return value
        }
    }

    /// Replaces `word` where neither neighbour is a letter or a digit.
    private static func replacingWords(_ word: String, in text: String, with mask: String) -> String {
        var out = ""
        var rest = text[...]
        while let found = rest.range(of: word) {
            // Neighbours in the whole text: the one before may belong to the previous match.
            let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : nil
            let after = found.upperBound < text.endIndex ? text[found.upperBound] : nil
            let standsAlone = !(before.map(isWordCharacter) ?? false) && !(after.map(isWordCharacter) ?? false)
            out += rest[..<found.lowerBound]
            out += standsAlone ? mask : String(rest[found])
            rest = rest[found.upperBound...]
        }
        return out + rest
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
