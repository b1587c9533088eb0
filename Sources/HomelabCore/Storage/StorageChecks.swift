/// The checks that need both files and the inventory: pools that exist, tags with a policy,
/// tiers with settings, critical data that reaches the cloud.
struct StorageChecks {
    var pools: InventoryPools?
    var diagnostics = Diagnostics()

    mutating func check(_ datasets: [DatasetsDecoder.Decoded], _ policy: PolicyDecoder.Decoded) {
        checkPools(datasets, policy)
        checkTiers(policy)
        for decoded in datasets {
            checkTags(decoded, policy)
        }
    }

    /// A dataset's pool and the replica pool must be the inventory's; a dataset may not live on
    /// the replica pool (it would be replicated onto itself).
    private mutating func checkPools(_ datasets: [DatasetsDecoder.Decoded], _ policy: PolicyDecoder.Decoded) {
        if let pools {
            let known = pools.names.isEmpty ? "it declares none under zfs.pools" : "it has \(pools.names.joined(separator: ", "))"
            for decoded in datasets where !pools.names.contains(decoded.dataset.pool) {
                let pool = decoded.dataset.pool
                diagnostics.error(
                    decoded.dataset.location,
                    "dataset '\(decoded.dataset.name)' is on pool '\(pool)', which is not in the inventory (\(pools.file): \(known))\(Suggestion.hint(for: pool, in: pools.names))"
                )
            }
            if let replica = policy.policy.replicaPool, let location = policy.replicaPoolLocation, !pools.names.contains(replica) {
                diagnostics.error(
                    location, "replica pool '\(replica)' is not in the inventory (\(pools.file): \(known))\(Suggestion.hint(for: replica, in: pools.names))")
            }
        }
        if let replica = policy.policy.replicaPool {
            for decoded in datasets where decoded.dataset.pool == replica {
                diagnostics.error(
                    decoded.dataset.location,
                    "dataset '\(decoded.dataset.name)' is on the replica pool '\(replica)'; replicas are made there, keep data elsewhere")
            }
        }
    }

    /// A tag that copies to the replica or the cloud needs that tier's settings.
    private mutating func checkTiers(_ policy: PolicyDecoder.Decoded) {
        for tag in StorageTag.allCases {
            guard let locations = policy.ruleLocations[tag] else { continue }
            if let location = locations[.replica], policy.policy.replicaPool == nil {
                diagnostics.error(location, "tag '\(tag.rawValue)' copies to the replica tier, but 'tiers.replica' is not configured (pool: ...)")
            }
            if let location = locations[.cloud], policy.policy.cloud == nil {
                diagnostics.error(
                    location, "tag '\(tag.rawValue)' copies to the cloud tier, but 'tiers.cloud' is not configured (endpoint, bucket, secrets...)")
            }
        }
    }

    private mutating func checkTags(_ decoded: DatasetsDecoder.Decoded, _ policy: PolicyDecoder.Decoded) {
        for tag in decoded.dataset.tags {
            guard let location = decoded.tagLocations[tag] else { continue }
            guard let rules = policy.policy.retention[tag] else {
                diagnostics.error(
                    location, "tag '\(tag.rawValue)' of dataset '\(decoded.dataset.name)' has no policy: add 'tags.\(tag.rawValue)' to \(policy.file)")
                continue
            }
            // 3-2-1: what cannot be replaced leaves the house.
            if tag == .critical, rules[.cloud] == nil {
                diagnostics.error(
                    location,
                    "critical dataset '\(decoded.dataset.name)' has no cloud tier: add 'tags.critical.cloud' to \(policy.file) (critical data leaves the house)"
                )
            }
        }
    }
}
