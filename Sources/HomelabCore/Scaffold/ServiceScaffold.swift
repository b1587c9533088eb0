/// The generator: a checked request and what the repository said about it, to the files of a
/// new service. Pure, so its output can be validated and compared without touching a disk.
public enum ServiceScaffold {
    public static func files(_ request: ServiceRequest, _ context: ScaffoldContext) -> [ScaffoldFile] {
        let layout = ServiceLayout(name: request.name, group: request.group)
        var manifests: [(String, YAMLText)] = [
            ("deployment.yaml", DeploymentManifest.yaml(request, context)),
            ("service.yaml", ServiceManifest.yaml(request)),
            ("network-policy.yaml", NetworkPolicyManifest.yaml(request, context)),
        ]
        if request.exposed, let domain = context.domain { manifests.append(("ingressroute.yaml", IngressRouteManifest.yaml(request, domain: domain))) }
        if let size = request.storage { manifests.append(("pvc.yaml", PersistentVolumeClaimManifest.yaml(request, size: size))) }
        if request.metricsPort != nil { manifests.append(("servicemonitor.yaml", ServiceMonitorManifest.yaml(request))) }
        if request.secrets { manifests.append(("external-secret.yaml", ExternalSecretManifest.yaml(request))) }
        var files = manifests.map { ScaffoldFile(path: layout.file($0.0), text: YAMLTextWriter.document($0.1)) }
        files.append(ScaffoldFile(path: layout.file("README.md"), text: ServiceReadme.text(request, layout, context)))
        files.append(ScaffoldFile(path: layout.fluxApp, text: YAMLTextWriter.document(FluxAppManifest.yaml(request, layout, context))))
        return files
    }
}
