import HomelabCore

/// `zfs.restore`: brings each dataset back from its fastest intact copy: the surviving pool, the
/// replica pool, then the cloud. The chain (full stream, then incrementals) is received in order
/// under a temporary name, every snapshot checked by guid, and renamed into place only once the
/// newest is verified, so a bad stream leaves the target as it was. A re-run after a killed
/// restore continues (or, where it cannot, cleans up) what the last one left.
public struct ZFSRestore: Action {
    let sessions: ZFSSessions
    let backups: any BackupStoreOpening

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
        backups = transport.backups
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.restore",
            summary: "Restore datasets from the fastest intact copy (pool, replica, cloud), verified by guid, renamed into place once complete.",
            inputs: SSHTarget.inputs + [
                ZFSInputs.datasets, ZFSInputs.replicaPool,
                InputSpec("target-pool", .string, resource: .dataset, "Restore into this pool instead of each dataset's own (tank/x → <target-pool>/x)."),
            ] + ZFSInputs.cloud + [ZFSInputs.timeout],
            outputs: [
                OutputSpec("restored", "Per dataset: dataset, target, source (pool, replica, cloud), snapshot, created (UTC), rpo-seconds, bytes."),
                OutputSpec("snapshot", "The restored snapshot of the first dataset."),
                OutputSpec("created", "Its creation time (UTC, ISO 8601)."),
                OutputSpec("rpo-seconds", "The largest age among the restored snapshots: how much recent data was lost, in seconds."),
            ],
            idempotent: true
        )
    }

    struct Restored {
        var dataset: String
        var target: String
        var tier: String
        var snapshot: String
        var created: Int64
        var bytes: Int64
    }

    func target(of dataset: String, _ call: ActionCall) throws -> String {
        guard let pool = call.string("target-pool") else { return dataset }
        return ZFSName.onPool(dataset, try ZFSName.dataset(pool))
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let store = try await ZFSInputs.openStore(call, backups: backups, context: context)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var work: [String] = []
            for dataset in datasets {
                let target = try target(of: dataset, call)
                if try await intact(target, host: host) != nil { continue }
                let source = try await source(for: dataset, target: target, call: call, host: host, store: store)
                work.append("restore \(target) from the \(source.tier) (@\(source.newest?.name ?? "?"), \(source.guids.count) snapshot(s))")
            }
            return work.isEmpty ? .satisfied("every dataset is in place with its snapshots") : .wouldChange(work.joined(separator: "; "))
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let store = try await ZFSInputs.openStore(call, backups: backups, context: context)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var restored: [Restored] = []
            // Parents first, so a child's temporary name has its parent in place.
            for dataset in datasets.sorted(by: { $0.split(separator: "/").count < $1.split(separator: "/").count }) {
                restored.append(try await restore(dataset, call: call, host: host, store: store))
            }
            let now = Int64(context.clock.now.timeIntervalSince1970)
            let order = Dictionary(uniqueKeysWithValues: datasets.enumerated().map { ($1, $0) })
            restored.sort { order[$0.dataset, default: 0] < order[$1.dataset, default: 0] }
            let list: [Value] = restored.map { item in
                .map([
                    ("dataset", .string(item.dataset)), ("target", .string(item.target)), ("source", .string(item.tier)),
                    ("snapshot", .string(item.snapshot)), ("created", .string(ZFSName.iso(item.created))),
                    ("rpo-seconds", .int(Int(max(0, now - item.created)))), ("bytes", .int(Int(item.bytes))),
                ])
            }
            let first = restored.first
            return [
                "restored": .list(list), "snapshot": .string(first?.snapshot ?? ""), "created": .string(first.map { ZFSName.iso($0.created) } ?? ""),
                "rpo-seconds": .int(Int(restored.map { max(0, now - $0.created) }.max() ?? 0)),
            ]
        }
    }

    /// The newest snapshot of `target` when it is in place; nil when it does not exist. One that
    /// exists without any snapshot cannot be verified or safely replaced: refused.
    func intact(_ target: String, host: ZFSHost) async throws -> SnapshotEntry? {
        guard let snapshots = try await host.snapshots(of: target) else { return nil }
        guard let newest = snapshots.last else {
            throw ZFSError.notRestorable(
                host: host.name, dataset: target,
                reason: "it exists but has no snapshot, so nothing proves what it holds; rename or destroy it by hand to restore over it")
        }
        return newest
    }

    /// The fastest intact copy of `dataset`, with every place looked at named when none is.
    func source(for dataset: String, target: String, call: ActionCall, host: ZFSHost, store: (any BackupStore)?) async throws -> RestoreSource {
        var tried: [String] = []
        let replica = ZFSName.onPool(dataset, try ZFSInputs.replicaPool(call))
        for (tier, name) in [("pool", dataset), ("replica", replica)] where name != target {
            if let snapshots = try await host.snapshots(of: name), !snapshots.isEmpty { return .host(tier: tier, dataset: name, snapshots: snapshots) }
            tried.append("\(name): not on the host")
        }
        if let store {
            let chain = try RestoreSource.cloudChain(try await store.manifests(dataset: dataset), dataset: dataset)
            if !chain.isEmpty { return .cloud(chain) }
            tried.append("cloud: no upload of \(dataset)")
        } else {
            tried.append("cloud: not given to the step")
        }
        throw ZFSError.noSource(host: host.name, dataset: dataset, tried: tried)
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] { ZFSInputs.problems(inputs, allowPool: false) }

    public func describe(_ inputs: [String: Value]) -> String {
        let cloud = inputs["cloud"] != nil ? ", then the cloud" : ""
        return
            "for each dataset not in place: receive from its pool, then the replica pool\(cloud), under a temporary name; rename once the newest snapshot's guid is verified"
    }
}
