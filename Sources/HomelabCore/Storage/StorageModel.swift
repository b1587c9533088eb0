/// How much a dataset matters; picks its backup policy (storage/policy.yaml, `tags`).
public enum StorageTag: String, Sendable, CaseIterable, Comparable {
    case critical, standard, scratch

    public static func < (lhs: StorageTag, rhs: StorageTag) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where copies of a dataset live: its own pool's snapshots, the replica pool, the cloud bucket.
public enum StorageTier: String, Sendable, CaseIterable, Comparable {
    case local, replica, cloud

    public static func < (lhs: StorageTier, rhs: StorageTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One dataset of storage/datasets.yaml. Its pool is the first part of its name.
public struct StorageDataset: Sendable, Equatable {
    public var name: String
    public var properties: [Property]
    public var tags: [StorageTag]
    /// Where its `name` is written, for diagnostics about the dataset as a whole.
    public var location: SourceLocation

    public struct Property: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(name: String, properties: [Property] = [], tags: [StorageTag] = [], location: SourceLocation) {
        self.name = name
        self.properties = properties
        self.tags = tags
        self.location = location
    }

    public var pool: String { String(name.prefix { $0 != "/" }) }
}

/// `keep` and `max-age` of one tag in one tier.
public struct Retention: Sendable, Equatable {
    /// How many snapshots the tier keeps; older ones are pruned.
    public var keep: Int
    /// How old the tier's newest snapshot may be before the tier is behind its policy.
    public var maxAge: Duration

    public init(keep: Int, maxAge: Duration) {
        self.keep = keep
        self.maxAge = maxAge
    }
}

/// The cloud tier: an S3-compatible bucket. The credentials and the encryption key are secret
/// names, resolved like a runbook's secrets; their values are never in storage/.
public struct CloudTier: Sendable, Equatable {
    public var endpoint: String
    public var region: String
    public var bucket: String
    /// Prepended to every object key (`<prefix><dataset>/<snapshot>.zstream`); may be empty.
    public var prefix: String
    public var accessKeySecret: String
    public var secretKeySecret: String
    public var encryptionKeySecret: String
    /// How many incremental streams may follow a full one before the next upload is a full stream
    /// again, starting a new chain. Retention can drop a chain only whole (every snapshot needs
    /// its chain back to its full), so without a bound the bucket would only ever grow.
    public var fullEvery: Int

    /// A new full stream about monthly with daily uploads; with a cloud `keep` of 31 or less the
    /// bucket then never holds more than two full streams (the newest chain and the one the
    /// kept snapshots still need).
    public static let defaultFullEvery = 30

    public init(
        endpoint: String, region: String, bucket: String, prefix: String = "", accessKeySecret: String, secretKeySecret: String,
        encryptionKeySecret: String, fullEvery: Int = CloudTier.defaultFullEvery
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.prefix = prefix
        self.accessKeySecret = accessKeySecret
        self.secretKeySecret = secretKeySecret
        self.encryptionKeySecret = encryptionKeySecret
        self.fullEvery = fullEvery
    }
}

/// storage/policy.yaml: snapshot names, retention per tag and tier, and the tiers' settings.
public struct StoragePolicy: Sendable, Equatable {
    public var snapshotPrefix: String
    public var retention: [StorageTag: [StorageTier: Retention]]
    /// The pool on the second disk that holds the replicas; nil when no tag uses the replica tier.
    public var replicaPool: String?
    public var cloud: CloudTier?

    public init(
        snapshotPrefix: String = "homelab-", retention: [StorageTag: [StorageTier: Retention]] = [:], replicaPool: String? = nil, cloud: CloudTier? = nil
    ) {
        self.snapshotPrefix = snapshotPrefix
        self.retention = retention
        self.replicaPool = replicaPool
        self.cloud = cloud
    }
}

/// storage/ as a whole: what lives on the pools and how it is kept.
public struct StorageConfig: Sendable, Equatable {
    /// The folder it was read from, as given (`storage`).
    public var directory: String
    public var datasets: [StorageDataset]
    public var policy: StoragePolicy

    public init(directory: String, datasets: [StorageDataset], policy: StoragePolicy) {
        self.directory = directory
        self.datasets = datasets
        self.policy = policy
    }

    /// The tiers a dataset is kept in, with their retention. A dataset with several tags gets,
    /// per tier, the strictest of them: the shortest max-age and the largest keep.
    public func tiers(of dataset: StorageDataset) -> [(tier: StorageTier, retention: Retention)] {
        StorageTier.allCases.compactMap { tier in
            let rules = dataset.tags.compactMap { policy.retention[$0]?[tier] }
            guard let first = rules.first else { return nil }
            let merged = rules.dropFirst().reduce(first) { Retention(keep: max($0.keep, $1.keep), maxAge: min($0.maxAge, $1.maxAge)) }
            return (tier, merged)
        }
    }

    /// Datasets carrying `tag`, in file order.
    public func datasets(tagged tag: StorageTag) -> [StorageDataset] {
        datasets.filter { $0.tags.contains(tag) }
    }

    /// Where a dataset's replica lives: the pool name replaced by the replica pool's
    /// (`tank/apps/immich` → `backup/apps/immich`).
    public func replicaName(of dataset: String) -> String? {
        guard let pool = policy.replicaPool else { return nil }
        guard let slash = dataset.firstIndex(of: "/") else { return pool }
        return pool + dataset[slash...]
    }
}
