import HomelabCore

/// Reads the live state `homelab backup status` reports: the local and replica tiers over SSH on
/// the host (one command per pool), the cloud tier through the `BackupStore` (manifests only,
/// no stream is downloaded). A tier that cannot be read is reported as unknown, with why; the
/// others are still read.
public struct BackupStatusReader: Sendable {
    private let shell: any RemoteShell
    private let store: any BackupStore
    private let target: SSHTarget
    private let timeout: Duration

    public init(shell: any RemoteShell, store: any BackupStore, target: SSHTarget, timeout: Duration = .seconds(120)) {
        self.shell = shell
        self.store = store
        self.target = target
        self.timeout = timeout
    }

    public func status(_ config: StorageConfig, tiers: Set<StorageTier> = Set(StorageTier.allCases), now: Int64) async -> BackupStatus {
        let queries = BackupStatus.queries(config, tiers: tiers)
        // Per pool, the snapshots under it, or why they could not be read.
        var pools: [String: Result<[String: [SnapshotRecord]], ReadFailure>] = [:]
        var unreachable: ReadFailure?
        for query in queries where query.tier != .cloud {
            let pool = String(query.location.prefix { $0 != "/" })
            guard pools[pool] == nil else { continue }
            // A host that could not be reached once is not dialled again for the next pool.
            if let unreachable {
                pools[pool] = .failure(unreachable)
                continue
            }
            let result = await snapshots(onPool: pool)
            if case .failure(let failure) = result, failure.unreachable { unreachable = failure }
            pools[pool] = result
        }
        var cloud: [String: TierObservation] = [:]
        for query in queries where query.tier == .cloud {
            cloud[query.dataset.name] = await manifests(of: query.dataset.name)
        }
        return BackupStatus.compute(config, tiers: tiers, now: now) { dataset, tier in
            if tier == .cloud { return cloud[dataset] ?? .unreadable("not read") }
            let location = BackupStatus.location(of: dataset, in: tier, config)
            switch pools[String(location.prefix { $0 != "/" })] {
            case .success(let byDataset)?: return .snapshots(byDataset[location] ?? [])
            case .failure(let failure)?: return .unreadable(failure.message)
            case nil: return .unreadable("not read")
            }
        }
    }

    struct ReadFailure: Error {
        var message: String
        var unreachable = false
    }

    private func snapshots(onPool pool: String) async -> Result<[String: [SnapshotRecord]], ReadFailure> {
        do {
            let result = try await shell.run(RemoteCommand(command: SnapshotListing.command(pool: pool), timeout: timeout), on: target)
            guard result.exitStatus == 0, result.signal == nil else {
                let why = result.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(result.exitStatus)"
                return .failure(ReadFailure(message: "pool '\(pool)' on \(target.display): \(why)"))
            }
            return .success(SnapshotListing.parse(result.stdout))
        } catch {
            return .failure(ReadFailure(message: "cannot reach \(target.display): \(error)", unreachable: true))
        }
    }

    private func manifests(of dataset: String) async -> TierObservation {
        do {
            let manifests = try await store.manifests(dataset: dataset)
            return .snapshots(manifests.map { SnapshotRecord(name: $0.snapshot, guid: $0.guid, created: $0.created) })
        } catch {
            return .unreadable("cloud: \(error)")
        }
    }
}
