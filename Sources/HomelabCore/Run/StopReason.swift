/// Why a run stopped scheduling steps. The engine decides on the case (the deadline makes the
/// outcome "deadline exceeded", an approval makes the run resumable); people and journals see
/// `text`, made here and nowhere else.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The run's deadline passed (or would pass before the next attempt could start).
    case deadlineExceeded
    /// A step asks a question nobody can answer now (no terminal, no `--yes`).
    case waitingForApproval(step: String)
    /// A step failed and the run does not keep going.
    case stepFailed(step: String)
    /// A signal asked the run to stop; nil when the journal does not say which.
    case interrupted(by: String?)
    /// The run's task was cancelled (a second signal, the grace period over).
    case cancelled
    /// Words this version does not know (a journal of another version), or a stop requested in
    /// words by a caller (tests); shown as they are.
    case other(String)

    /// What the operator reads, and what the journal stores.
    public var text: String {
        switch self {
        case .deadlineExceeded: "deadline exceeded"
        case .waitingForApproval(let step): "waiting for approval at step '\(step)'"
        case .stepFailed(let step): "step '\(step)' failed"
        case .interrupted(let signal?): "interrupted by \(signal)"
        case .interrupted(nil): "interrupted"
        case .cancelled: "cancelled"
        case .other(let text): text
        }
    }

    public var description: String { text }

    /// The reason a stored `text` stands for; text no case makes is kept as `.other`.
    public init(text: String) {
        switch text {
        case "deadline exceeded": self = .deadlineExceeded
        case "interrupted": self = .interrupted(by: nil)
        case "cancelled": self = .cancelled
        default:
            if let step = Self.quoted(text, after: "waiting for approval at step '", before: "'") {
                self = .waitingForApproval(step: step)
            } else if let step = Self.quoted(text, after: "step '", before: "' failed") {
                self = .stepFailed(step: step)
            } else if text.hasPrefix("interrupted by "), text.count > "interrupted by ".count {
                self = .interrupted(by: String(text.dropFirst("interrupted by ".count)))
            } else {
                self = .other(text)
            }
        }
    }

    private static func quoted(_ text: String, after prefix: String, before suffix: String) -> String? {
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count >= prefix.count + suffix.count else { return nil }
        return String(text.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
