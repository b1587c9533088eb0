/// Pattern 4: persistent data lives on ZFS (snapshotted, replicated, backed up), one claim per
/// service, never a hand-made PersistentVolume.
public struct StorageRule: ManifestRule {
    public let name = "storage"
    public let category = 4
    public let summary =
        "PVC: storageClassName zfs-storage, accessModes [ReadWriteOnce], a storage request; no PersistentVolume; claims named <service>-storage"
    public let kinds: Set<ServiceKind> = [.workload, .chart]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for (_, object) in service.objects {
                if object.kind == "PersistentVolume" {
                    findings.error(object.kindLocation, "a PersistentVolume is made by the zfs-storage StorageClass; claim it with a PVC instead")
                }
                if object.kind == "PersistentVolumeClaim" { check(claim: object, &findings) }
            }
            for claim in service.podSpec?["volumes"]?.values(forKey: "persistentVolumeClaim") ?? [] {
                let name = claim["claimName"]
                if name?.string != service.name + "-storage" {
                    findings.error(
                        (name ?? claim).location, "the Deployment mounts claim '\(name?.string ?? "(none)")'; the service's claim is '\(service.name)-storage'")
                }
            }
        }
    }

    private func check(claim: ManifestObject, _ findings: inout RuleFindings) {
        guard let spec = claim.spec else {
            findings.error(claim.root.location, "the PersistentVolumeClaim has no spec")
            return
        }
        let storageClass = spec["storageClassName"]
        if storageClass?.string != "zfs-storage" {
            findings.error(
                (storageClass ?? spec).location, "storageClassName is '\(storageClass?.string ?? "(none)")'; use zfs-storage (snapshots, replication, backup)")
        }
        let modes = spec["accessModes"]
        if modes?.sequence?.compactMap(\.string) != ["ReadWriteOnce"] {
            findings.error((modes ?? spec).location, "accessModes must be exactly [ReadWriteOnce] (a ZFS volume is mounted by one node)")
        }
        if spec["resources"]?["requests"]?["storage"]?.string == nil {
            findings.error((spec["resources"] ?? spec).location, "the claim requests no size; set resources.requests.storage")
        }
    }
}
