/// What a service directory deploys, decided from its files, so that each rule knows whether it
/// applies (the manifest contract's "service kinds").
public enum ServiceKind: String, Sendable, CaseIterable, Comparable {
    /// It has `deployment.yaml`: every rule applies.
    case workload
    /// A Flux HelmRelease (`helm-release.yaml`) of an upstream chart: the chart renders the
    /// Deployment, so the deployment-level rules do not apply.
    case chart
    /// Neither: cluster objects such as ClusterIssuers, ClusterSecretStores, a StorageClass.
    case config

    public static func < (lhs: ServiceKind, rhs: ServiceKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// From the names of the files in its directory. A HelmRelease alone makes a chart: its
    /// missing HelmRepository is then reported by `chart-version` rather than going unchecked.
    public static func of(fileNames: Set<String>) -> ServiceKind {
        if fileNames.contains("deployment.yaml") { return .workload }
        if fileNames.contains("helm-release.yaml") { return .chart }
        return .config
    }
}
