/// Pattern 11: what runs is what was reviewed: a pinned image, not whatever `latest` is today.
public struct ImageRule: ManifestRule {
    public let name = "image"
    public let category = 11
    public let summary = "every container image has a tag (not latest) or a digest, and imagePullPolicy: IfNotPresent"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    /// The tag of `registry:port/repo/name:tag`, nil when there is none; "" for a digest.
    public static func tag(of image: String) -> String? {
        if image.contains("@") { return "" }
        let last = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = last.lastIndex(of: ":") else { return nil }
        return String(last[last.index(after: colon)...])
    }

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for container in service.containers + service.initContainers {
                let name = container["name"]?.string ?? "(unnamed)"
                if let image = container["image"], let text = image.string {
                    let tag = Self.tag(of: text)
                    if tag == nil || (tag == "" && !text.contains("@")) {
                        findings.error(image.location, "image '\(text)' has no tag; pin a version (repo/name:1.2.3)")
                    } else if tag == "latest" {
                        findings.error(image.location, "image '\(text)' uses :latest; pin a version")
                    }
                } else {
                    findings.error(container.location, "container '\(name)' has no image")
                }
                let policy = container["imagePullPolicy"]
                if policy?.string != "IfNotPresent" {
                    findings.error((policy ?? container).location, "container '\(name)' needs imagePullPolicy: IfNotPresent")
                }
            }
        }
    }
}
