/// Pattern 1: a file's name says what kind of object it holds.
public struct FileNameRule: ManifestRule {
    public let name = "file-name"
    public let category = 1
    public let summary = "a file's name is fixed by its object's kind (deployment.yaml, pvc.yaml, <kind-in-kebab-case>[-<name>].yaml...)"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            for path in service.otherFiles {
                findings.error(.file(path), "only README.md and YAML manifests belong in a service directory")
            }
            for file in service.files where !file.unreadable {
                guard let object = file.object else { continue }
                guard let kind = object.kind else {
                    findings.error(object.root.location, "the object has no kind")
                    continue
                }
                let allowed = Naming.fileNames(kind: kind, name: object.name)
                if !allowed.contains(file.name) {
                    let names = allowed.map { "'\($0)'" }.joined(separator: " or ")
                    findings.error(object.kindLocation, "a \(kind) goes in \(names), not '\(file.name)'")
                }
            }
        }
    }
}
