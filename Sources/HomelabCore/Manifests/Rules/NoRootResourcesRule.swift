/// Pattern 1: every object belongs to a service directory, and services do not nest.
public struct NoRootResourcesRule: ManifestRule {
    public let name = "no-root-resources"
    public let category = 1
    public let summary = "no YAML file directly in kubernetes/base or a group directory; no directory below a service's"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for path in tree.strayFiles {
            findings.error(.file(path), "a YAML file outside any service directory; move it into kubernetes/base/<service>/")
        }
        for path in tree.nestedDirectories {
            findings.error(.file(path), "a directory inside a service directory; a service's files sit directly in its directory")
        }
    }
}
