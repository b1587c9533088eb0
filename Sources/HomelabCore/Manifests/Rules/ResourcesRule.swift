/// Pattern 10: every container is scheduled with what it needs and cannot starve the node.
public struct ResourcesRule: ManifestRule {
    public let name = "resources"
    public let category = 10
    public let summary = "every container and init container sets requests.cpu, requests.memory, limits.cpu, limits.memory"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    static let fields = [("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory")]

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for container in service.containers + service.initContainers {
                let resources = container["resources"]
                let missing = Self.fields.filter { resources?[$0.0]?[$0.1]?.string == nil }.map { "\($0.0).\($0.1)" }
                guard !missing.isEmpty else { continue }
                let name = container["name"]?.string ?? "(unnamed)"
                findings.error((resources ?? container).location, "container '\(name)' sets no resources \(missing.joined(separator: ", "))")
            }
        }
    }
}
