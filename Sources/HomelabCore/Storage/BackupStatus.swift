/// One snapshot as a tier holds it: short name (after `@`), guid, creation (epoch seconds).
public struct SnapshotRecord: Sendable, Equatable {
    public var name: String
    public var guid: String
    public var created: Int64

    public init(name: String, guid: String, created: Int64) {
        self.name = name
        self.guid = guid
        self.created = created
    }
}

/// What a tier was found to hold for one dataset: its snapshots, or why they could not be read.
public enum TierObservation: Sendable, Equatable {
    case snapshots([SnapshotRecord])
    /// The tier could not be asked (host unreachable, pool missing, bucket refused...).
    case unreadable(String)
}

/// `homelab backup status`: per dataset and tier, the newest policy snapshot and its age against
/// the policy's max-age. Computed here, rendered by the command (text table or JSON).
public struct BackupStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The newest snapshot is within max-age.
        case fresh
        /// The newest snapshot is older than max-age.
        case behind
        /// The tier holds no snapshot of the dataset (with the policy's prefix).
        case missing
        /// The tier could not be read; nothing is known.
        case unknown
    }

    public struct Row: Sendable, Equatable {
        public var dataset: String
        public var tier: StorageTier
        /// Where the tier keeps it: the dataset, its replica, or the bucket's prefix.
        public var location: String
        public var retention: Retention
        public var newest: SnapshotRecord?
        /// How many policy snapshots the tier holds.
        public var count: Int
        /// Seconds since `newest` was taken (0 when its clock is ahead of ours).
        public var ageSeconds: Int64?
        public var state: State
        /// Why the tier is unknown.
        public var problem: String?
    }

    /// When the status was taken, epoch seconds.
    public var checkedAt: Int64
    public var rows: [Row]

    /// A tier behind or holding nothing: the policy is not met.
    public var isBehind: Bool { rows.contains { $0.state == .behind || $0.state == .missing } }
    public var hasUnknown: Bool { rows.contains { $0.state == .unknown } }

    /// What to ask each tier about: per tier, the dataset names as that tier holds them.
    public static func queries(_ config: StorageConfig, tiers: Set<StorageTier>) -> [(
        dataset: StorageDataset, tier: StorageTier, location: String, retention: Retention
    )] {
        config.datasets.flatMap { dataset in
            config.tiers(of: dataset).filter { tiers.contains($0.tier) }.map { entry in
                (dataset, entry.tier, location(of: dataset.name, in: entry.tier, config), entry.retention)
            }
        }
    }

    /// The dataset's name in a tier: itself locally, its replica on the replica pool, and
    /// `s3://bucket/prefix<dataset>/` in the cloud.
    public static func location(of dataset: String, in tier: StorageTier, _ config: StorageConfig) -> String {
        switch tier {
        case .local: return dataset
        case .replica: return config.replicaName(of: dataset) ?? dataset
        case .cloud: return config.policy.cloud.map { "s3://\($0.bucket)/\($0.prefix)\(dataset)/" } ?? dataset
        }
    }

    /// Builds the status from what each tier holds (`observed(dataset, tier)`). Only snapshots
    /// with the policy's prefix count: a hand-made snapshot does not meet the policy.
    public static func compute(
        _ config: StorageConfig, tiers: Set<StorageTier> = Set(StorageTier.allCases), now: Int64,
        observed: (String, StorageTier) -> TierObservation
    ) -> BackupStatus {
        let rows = queries(config, tiers: tiers).map { query -> Row in
            var row = Row(
                dataset: query.dataset.name, tier: query.tier, location: query.location, retention: query.retention, newest: nil, count: 0,
                ageSeconds: nil, state: .missing, problem: nil)
            switch observed(query.dataset.name, query.tier) {
            case .unreadable(let problem):
                row.state = .unknown
                row.problem = problem
            case .snapshots(let all):
                let kept = all.filter { $0.name.hasPrefix(config.policy.snapshotPrefix) }
                row.count = kept.count
                // Newest by creation; equal seconds are ordered by name (the names carry the time).
                guard let newest = kept.max(by: { ($0.created, $0.name) < ($1.created, $1.name) }) else { break }
                let age = max(0, now - newest.created)
                row.newest = newest
                row.ageSeconds = age
                row.state = Duration.seconds(age) > query.retention.maxAge ? .behind : .fresh
            }
            return row
        }
        return BackupStatus(checkedAt: now, rows: rows)
    }
}
