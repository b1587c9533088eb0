/// Pattern 2: service directory names are kebab-case (they become object names and hosts).
public struct KebabCaseRule: ManifestRule {
    public let name = "kebab-case"
    public let category = 2
    public let summary = "service directory names match ^[a-z0-9]+(-[a-z0-9]+)*$"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services where !Naming.isKebabCase(service.name) {
            findings.error(
                service.directoryLocation, "service directory '\(service.name)' is not kebab-case; rename it to lower-case words joined by '-'")
        }
    }
}
