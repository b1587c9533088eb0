/// Pattern 14: every service documents what it needs, how it is configured, what it may use
/// and exactly what it runs.
public struct ReadmeRule: ManifestRule {
    public let name = "readme"
    public let category = 14
    public let summary =
        "README.md has ## Dependencies, ## Configuration, ## Resources and ## Image (every image as written) or, for charts, ## Chart (name and version)"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            guard let readme = service.readme else { continue }
            var headings = ["## Dependencies", "## Configuration", "## Resources"]
            switch service.kind {
            case .workload: headings.append("## Image")
            case .chart: headings.append("## Chart")
            case .config: break
            }
            for heading in headings where readme.headingLine(heading) == nil {
                findings.error(.file(readme.path), "README.md has no '\(heading)' section")
            }
            if service.kind == .workload, let section = readme.section("## Image"), let line = readme.headingLine("## Image") {
                let images = (service.containers + service.initContainers).compactMap { $0["image"]?.string }
                for image in images where !section.contains(image) {
                    findings.error(
                        SourceLocation(file: readme.path, line: line, column: 1), "the Image section does not name '\(image)' as the Deployment writes it")
                }
            }
            if service.kind == .chart, let section = readme.section("## Chart"), let line = readme.headingLine("## Chart") {
                for (_, release) in service.objects(ofKind: "HelmRelease") {
                    let chart = release.spec?["chart"]?["spec"]
                    for value in [chart?["chart"]?.string, chart?["version"]?.string].compactMap({ $0 }) where !section.contains(value) {
                        findings.error(
                            SourceLocation(file: readme.path, line: line, column: 1),
                            "the Chart section does not name '\(value)' (the HelmRelease's chart and version)")
                    }
                }
            }
        }
    }
}
