import Foundation

/// Every manifest rule, in the contract's order: what validate runs, `--rules` prints and SARIF
/// declares.
public enum RuleCatalog {
    public static let rules: [any ManifestRule] = [
        ServiceFilesRule(),
        OneResourcePerFileRule(),
        NoRootResourcesRule(),
        KebabCaseRule(),
        FileNameRule(),
        ResourceNameRule(),
        LabelsRule(),
        NoSecretRule(),
        SecretValuesRule(),
        ExternalSecretRule(),
        StorageRule(),
        NetworkPolicyRule(),
        HostNetworkRule(),
        MetricsRule(),
        IngressRule(),
        ProbesRule(),
        ConfigRule(),
        ResourcesRule(),
        ImageRule(),
        ChartVersionRule(),
        DependenciesRule(),
        FluxKustomizationRule(),
        ReadmeRule(),
        WaiverRule(),
    ]

    public static var names: [String] { rules.map(\.name) }

    public static func rule(named name: String) -> (any ManifestRule)? { rules.first { $0.name == name } }

    /// `name  category  kinds  summary`, one line per rule: `homelab validate --rules`.
    public static func text() -> String {
        let width = rules.map(\.name.count).max() ?? 0
        return rules.map { rule in
            let kinds = rule.kinds.count == ServiceKind.allCases.count ? "all" : rule.kinds.sorted().map(\.rawValue).joined(separator: ",")
            let category = rule.category == 0 ? "-" : String(rule.category)
            return rule.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + category.padding(toLength: 3, withPad: " ", startingAt: 0)
                + kinds.padding(toLength: 17, withPad: " ", startingAt: 0) + rule.summary
        }.joined(separator: "\n") + "\n"
    }
}
