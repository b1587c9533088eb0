/// Where a dataset is restored from, fastest first: its own pool (when restoring elsewhere), the
/// replica pool on the same host, then the cloud. Each carries the chain to receive in order:
/// a full stream, then incrementals.
enum RestoreSource {
    /// A dataset on the host itself; its snapshots oldest first.
    case host(tier: String, dataset: String, snapshots: [SnapshotEntry])
    /// The cloud's manifests from the full stream to the newest, each the base of the next.
    case cloud([BackupManifest])

    var tier: String {
        switch self {
        case .host(let tier, _, _): tier
        case .cloud: "cloud"
        }
    }

    /// The guids the restored dataset will hold, in order.
    var guids: [String] {
        switch self {
        case .host(_, _, let snapshots): snapshots.map(\.guid)
        case .cloud(let chain): chain.map(\.guid)
        }
    }

    var newest: (name: String, guid: String, created: Int64)? {
        switch self {
        case .host(_, _, let snapshots): snapshots.last.map { ($0.name, $0.guid, $0.creation) }
        case .cloud(let chain): chain.last.map { ($0.snapshot, $0.guid, $0.created) }
        }
    }

    /// The chain ending at the newest manifest, full stream first. A base that no manifest holds
    /// is named: the chain cannot be restored past it, and restoring an older point silently
    /// would hide how much is lost.
    static func cloudChain(_ manifests: [BackupManifest], dataset: String) throws -> [BackupManifest] {
        guard var current = manifests.last else { return [] }
        var chain = [current]
        while let baseGuid = current.baseGuid {
            guard let base = manifests.last(where: { $0.guid == baseGuid }), !chain.contains(where: { $0.guid == base.guid }) else {
                throw ZFSError.missingBase(dataset: dataset, snapshot: current.snapshot, base: current.baseSnapshot ?? "?", baseGuid: baseGuid)
            }
            chain.append(base)
            current = base
        }
        return chain.reversed()
    }

    /// How far a partial restore got: the number of leading chain steps `partial` holds, judged
    /// by guid; nil when it holds anything outside the chain (then it is not ours to continue).
    static func progress(of partial: [SnapshotEntry], along guids: [String]) -> Int? {
        guard partial.count <= guids.count else { return nil }
        for (index, snapshot) in partial.enumerated() where guids[index] != snapshot.guid { return nil }
        return partial.count
    }
}
