extension StorageConfig {
    /// What runbooks read as `${storage...}`:
    /// - `datasets`: every dataset's name, in file order;
    /// - `entries`: each dataset as a mapping (name, pool, tags, properties, replica, tiers), for
    ///   `for-each` with `${item.name}`;
    /// - `backed-up`: the entries of the datasets kept in at least one tier (what a restore brings
    ///   back; untagged parents such as tank/apps are left out);
    /// - `tagged.TAG`: the names of the datasets with that tag (an empty list when none);
    /// - `snapshot-prefix`, `replica-pool`;
    /// - `tiers.replica.pool`, `tiers.cloud.{endpoint, region, bucket, prefix, access-key,
    ///   secret-key, encryption-key, full-every}` (the access, secret and encryption keys are
    ///   secret NAMES);
    /// - `retention.TAG.TIER.{keep, max-age}`.
    public var value: Value {
        var tierSettings: [(String, Value)] = []
        if let pool = policy.replicaPool { tierSettings.append(("replica", .map([("pool", .string(pool))]))) }
        if let cloud = policy.cloud {
            tierSettings.append(
                (
                    "cloud",
                    .map([
                        ("endpoint", .string(cloud.endpoint)), ("region", .string(cloud.region)), ("bucket", .string(cloud.bucket)),
                        ("prefix", .string(cloud.prefix)), ("access-key", .string(cloud.accessKeySecret)),
                        ("secret-key", .string(cloud.secretKeySecret)), ("encryption-key", .string(cloud.encryptionKeySecret)),
                        ("full-every", .int(cloud.fullEvery)),
                    ])
                ))
        }
        let retention: [(String, Value)] = StorageTag.allCases.compactMap { tag in
            guard let rules = policy.retention[tag] else { return nil }
            return (tag.rawValue, .map(StorageTier.allCases.compactMap { tier in rules[tier].map { (tier.rawValue, $0.value) } }))
        }
        return .map([
            ("datasets", .list(datasets.map { .string($0.name) })),
            ("entries", .list(datasets.map(entry))),
            ("backed-up", .list(datasets.filter { !tiers(of: $0).isEmpty }.map(entry))),
            ("tagged", .map(StorageTag.allCases.map { tag in (tag.rawValue, Value.list(names(tagged: tag))) })),
            ("snapshot-prefix", .string(policy.snapshotPrefix)),
            ("replica-pool", policy.replicaPool.map(Value.string) ?? .null),
            ("tiers", .map(tierSettings)),
            ("retention", .map(retention)),
        ])
    }

    private func names(tagged tag: StorageTag) -> [Value] {
        datasets(tagged: tag).map { .string($0.name) }
    }

    private func entry(_ dataset: StorageDataset) -> Value {
        .map([
            ("name", .string(dataset.name)),
            ("pool", .string(dataset.pool)),
            ("tags", .list(dataset.tags.map { .string($0.rawValue) })),
            ("properties", .map(dataset.properties.map { ($0.name, .string($0.value)) })),
            ("replica", replicaName(of: dataset.name).map(Value.string) ?? .null),
            ("tiers", .list(tiers(of: dataset).map { .string($0.tier.rawValue) })),
        ])
    }
}

extension Retention {
    var value: Value { .map([("keep", .int(keep)), ("max-age", .string(DurationText.format(maxAge)))]) }
}
