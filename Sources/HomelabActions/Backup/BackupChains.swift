/// The cloud tier's manifests seen as chains: each incremental names its base by guid, a full
/// stream names none. A restore needs a snapshot's whole chain back to its full, so retention
/// works on chains, never on single manifests (docs/zfs.md, "Retention of the cloud tier").
public struct BackupChains: Sendable {
    /// The manifests, oldest first (as `BackupStore.manifests` lists them).
    public let manifests: [BackupManifest]
    private let byGuid: [String: BackupManifest]

    public init(_ manifests: [BackupManifest]) {
        self.manifests = manifests
        // The newest manifest of a guid wins, as `RestoreSource.cloudChain` picks it.
        byGuid = Dictionary(manifests.map { ($0.guid, $0) }, uniquingKeysWith: { _, newer in newer })
    }

    /// `manifest` and its ancestors back to the full stream (or to the first base no manifest
    /// holds), newest first.
    public func lineage(of manifest: BackupManifest) -> [BackupManifest] {
        var line = [manifest]
        var seen: Set<String> = [manifest.guid]
        var current = manifest
        while let baseGuid = current.baseGuid, let base = byGuid[baseGuid], seen.insert(base.guid).inserted {
            line.append(base)
            current = base
        }
        return line
    }

    /// How many incrementals lie between `manifest` and its full stream (0 for a full); nil when
    /// the chain breaks first (a base no manifest holds): then it cannot be restored or built on.
    public func incrementals(upTo manifest: BackupManifest) -> Int? {
        let line = lineage(of: manifest)
        guard let root = line.last, root.baseGuid == nil else { return nil }
        return line.count - 1
    }

    /// What retention keeps and drops. Kept: the `keep` newest, every one younger than `maxAge`,
    /// the newest always, and every ancestor a kept one needs to be restored. Dropped: the rest,
    /// in the order they may be deleted (see `deletionOrder`).
    public func retention(keep: Int, maxAge: Duration?, now: Int64) -> (kept: [BackupManifest], dropped: [BackupManifest]) {
        var seeds = Array(manifests.suffix(max(1, keep)))
        if let maxAge {
            let cutoff = now - maxAge.components.seconds
            seeds += manifests.filter { $0.created > cutoff }
        }
        var kept: Set<String> = []
        for seed in seeds { kept.formUnion(lineage(of: seed).map(\.guid)) }
        let dropped = manifests.filter { !kept.contains($0.guid) }
        return (manifests.filter { kept.contains($0.guid) }, deletionOrder(dropped))
    }

    /// Dropped manifests in a crash-safe order: chain by chain (oldest chain first), newest first
    /// within a chain, so a snapshot is deleted only after every one built on it. Whatever an
    /// interrupted prune leaves is then still whole chains from their fulls, each restorable.
    func deletionOrder(_ dropped: [BackupManifest]) -> [BackupManifest] {
        let position = Dictionary(manifests.enumerated().map { ($1.guid, $0) }, uniquingKeysWith: { $1 })
        let keyed = dropped.map { manifest -> (root: Int, depth: Int, at: Int, manifest: BackupManifest) in
            let line = lineage(of: manifest)
            return (position[line.last!.guid] ?? 0, line.count, position[manifest.guid] ?? 0, manifest)
        }
        return keyed.sorted { ($0.root, -$0.depth, -$0.at) < ($1.root, -$1.depth, -$1.at) }.map(\.manifest)
    }
}
