/// Waivers themselves: one without a reason, or naming no rule, is an error. The scanning is
/// done by the validator (it needs the waivers too); this rule is its name in the catalog.
public struct WaiverRule: ManifestRule {
    public static let ruleName = "waiver"
    public let name = WaiverRule.ruleName
    public let category = 0
    public let summary = "a '# homelab:waive <rule> <reason>' comment names a known rule and gives a reason"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {}
}
