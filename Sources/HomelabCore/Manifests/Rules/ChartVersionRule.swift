/// Pattern 11 for charts: an exact chart version from a repository declared beside it.
public struct ChartVersionRule: ManifestRule {
    public let name = "chart-version"
    public let category = 11
    public let summary = "HelmRelease spec.chart.spec.version is exact (1.2.3 or v1.2.3) and its sourceRef is the HelmRepository in the directory"
    public let kinds: Set<ServiceKind> = [.chart]

    public init() {}

    /// `1.19.2`, `v1.19.2`, with an optional pre-release or build suffix; no range or wildcard.
    public static func isExact(_ version: String) -> Bool {
        var rest = Substring(version)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        let core = rest.prefix { $0 != "-" && $0 != "+" }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return false }
        let suffix = rest.dropFirst(core.count)
        return suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-+.".contains($0)) }
    }

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            let repositories = Set(service.objects(ofKind: "HelmRepository").compactMap(\.object.name))
            for (_, release) in service.objects(ofKind: "HelmRelease") {
                let chart = release.spec?["chart"]?["spec"]
                let version = chart?["version"]
                if !Self.isExact(version?.string ?? "") {
                    findings.error(
                        (version ?? chart ?? release.spec ?? release.root).location,
                        "chart version '\(version?.string ?? "")' is not exact; pin one version (1.2.3)")
                }
                let source = chart?["sourceRef"]
                let name = source?["name"]
                if source?["kind"]?.string != "HelmRepository" || !repositories.contains(name?.string ?? "") {
                    let known = repositories.sorted().joined(separator: ", ")
                    findings.error(
                        (name ?? source ?? chart ?? release.root).location,
                        "sourceRef must name the HelmRepository in \(service.directory)\(known.isEmpty ? " (there is none: add helm-repository.yaml)" : " (\(known))")"
                    )
                }
            }
        }
    }
}
