/// Pattern 1: one object per file, so that each file's name says what it holds.
public struct OneResourcePerFileRule: ManifestRule {
    public let name = "one-resource-per-file"
    public let category = 1
    public let summary = "a YAML file holds exactly one document with one object (no second '---' document, no kind: List)"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for file in tree.services.flatMap(\.files) + tree.apps.map(\.file) where !file.unreadable {
            guard let first = file.documents.first else {
                findings.error(.file(file.path), "the file holds no object; write one or remove the file")
                continue
            }
            if file.documents.count > 1 {
                findings.error(
                    file.documents[1].start,
                    "a second document starts here (\(file.documents.count) in \(file.name)); put each object in its own file")
            }
            if first.root.mapping == nil {
                findings.error(first.root.location, "the document is \(first.root.kindName), not an object")
            } else if first.root["kind"]?.string == "List" {
                findings.error(first.root["kind"]!.location, "a kind: List holds several objects; put each object in its own file")
            }
        }
    }
}
