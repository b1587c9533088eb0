/// servicemonitor.yaml (pattern 6): the `metrics` Service port at `/metrics` every 30s.
enum ServiceMonitorManifest {
    static func yaml(_ request: ServiceRequest) -> YAMLText {
        let endpoint: YAMLText = .map(["port": .string("metrics"), "interval": .string("30s"), "path": .string("/metrics")])
        return .map(
            ManifestMetadata.header(apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor") + [
                .init("metadata", ManifestMetadata.metadata(name: "\(request.name)-monitor", service: request.name)),
                .init("spec", .map(["selector": ManifestMetadata.matchApp(request.name), "endpoints": .list([endpoint])])),
            ])
    }
}
