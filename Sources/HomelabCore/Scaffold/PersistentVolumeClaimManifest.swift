/// pvc.yaml (pattern 4): `<service>-storage` on `zfs-storage`, ReadWriteOnce (ZFS is local).
enum PersistentVolumeClaimManifest {
    static func yaml(_ request: ServiceRequest, size: String) -> YAMLText {
        let spec: YAMLText = .map([
            "accessModes": .strings(["ReadWriteOnce"]),
            "storageClassName": .string("zfs-storage"),
            "resources": .map(["requests": .map(["storage": .string(size)])]),
        ])
        return .map(
            ManifestMetadata.header(apiVersion: "v1", kind: "PersistentVolumeClaim") + [
                .init("metadata", ManifestMetadata.metadata(name: "\(request.name)-storage", service: request.name)), .init("spec", spec),
            ])
    }
}
