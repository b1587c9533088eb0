/// Replaces every secret value with `<secret:name>` in what is about to be written or shown.
/// Applied to the journal, the log, terminal and JSON output alike, so a command that echoes a
/// token does not leak it either.
public struct Redactor: Sendable {
    private var secrets: [(value: String, name: String)] = []

    public init() {}

    /// Longer values first, so a secret that contains another is replaced whole.
    public mutating func add(_ value: String, name: String) {
        guard !value.isEmpty, !secrets.contains(where: { $0.value == value }) else { return }
        secrets.append((value, name))
        secrets.sort { $0.value.count > $1.value.count }
    }

    public var isEmpty: Bool { secrets.isEmpty }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret.value) {
            out = out.replacingOccurrences(of: secret.value, with: "<secret:\(secret.name)>")
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
}

import Foundation
