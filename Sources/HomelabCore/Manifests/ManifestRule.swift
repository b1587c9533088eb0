/// One rule of the manifest contract: a name (what diagnostics, waivers and SARIF call it), the
/// architecture's pattern category it enforces, and the service kinds it applies to.
public protocol ManifestRule: Sendable {
    var name: String { get }
    /// The architecture's category number (section 3), 0 for homelab's own (waivers).
    var category: Int { get }
    /// One line: what it checks.
    var summary: String { get }
    var kinds: Set<ServiceKind> { get }
    func check(_ tree: ManifestTree, _ findings: inout RuleFindings)
}

extension ManifestRule {
    public var kinds: Set<ServiceKind> { Set(ServiceKind.allCases) }
}

/// What one rule found; every message starts with `[rule] ` and carries the rule's name.
public struct RuleFindings: Sendable {
    public let rule: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(rule: String) {
        self.rule = rule
    }

    public mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.error, location, "[\(rule)] \(message)", rule: rule))
    }
}
