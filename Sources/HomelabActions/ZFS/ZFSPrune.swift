import HomelabCore

/// `zfs.prune`: destroys homelab's own snapshots (named with the prefix) beyond the `keep` newest,
/// on the datasets or on their replicas. Never the newest snapshot, never the newest one shared
/// with the replica, never the newest one in the cloud: each is the base the next incremental
/// needs, and losing it would force a full copy.
public struct ZFSPrune: Action {
    private let sessions: ZFSSessions
    private let backups: any BackupStoreOpening

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
        backups = transport.backups
    }

    public enum Tier: String, CaseIterable { case local, replica }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.prune",
            summary: "Destroy homelab's snapshots beyond the newest 'keep', sparing the bases of the replica's and the cloud's next incremental.",
            inputs: SSHTarget.inputs + [
                ZFSInputs.datasets,
                InputSpec("keep", .integer, required: true, "How many of homelab's newest snapshots to keep (storage/policy.yaml tags.TAG.TIER.keep)."),
                InputSpec(
                    "tier", .string, default: .string("local"), allowed: Tier.allCases.map(\.rawValue),
                    "local prunes the datasets themselves, replica their copies on the replica pool."),
                ZFSInputs.replicaPool, ZFSInputs.prefix,
            ] + ZFSInputs.cloud + [ZFSInputs.timeout],
            outputs: [OutputSpec("destroyed", "The snapshots destroyed, as dataset@name.")],
            idempotent: true,
            destructive: .always(reason: "destroys snapshots")
        )
    }

    /// The snapshots to destroy, oldest first: prefixed ones beyond `keep`, minus `protected`
    /// guids and the newest snapshot.
    static func doomed(_ snapshots: [SnapshotEntry], keep: Int, prefix: String, protected: Set<String>) -> [SnapshotEntry] {
        let ours = snapshots.filter { $0.name.hasPrefix(prefix) }
        let spared = Set(ours.suffix(max(0, keep)).map(\.guid)).union(protected).union(snapshots.last.map { [$0.guid] } ?? [])
        return ours.filter { !spared.contains($0.guid) }
    }

    private func plan(_ call: ActionCall, host: ZFSHost, context: any ActionContext) async throws -> [(String, [SnapshotEntry])] {
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let pool = try ZFSInputs.replicaPool(call)
        let tier = Tier(rawValue: call.string("tier") ?? "local") ?? .local
        guard case .int(let keep)? = call.inputs["keep"], keep >= 1 else { throw ActionError("'keep' must be at least 1") }
        let prefix = call.string("prefix") ?? "homelab-"
        let store = try await ZFSInputs.openStore(call, backups: backups, context: context)
        var result: [(String, [SnapshotEntry])] = []
        for dataset in datasets {
            let replica = ZFSName.onPool(dataset, pool)
            let source = try await host.snapshots(of: dataset)
            let copy = try await host.snapshots(of: replica)
            guard let pruned = tier == .local ? source : copy else {
                context.report("\(tier == .local ? dataset : replica) does not exist; nothing to prune")
                continue
            }
            var protected = Set<String>()
            if let source, let copy, let common = source.newestCommon(with: copy) { protected.insert(common.guid) }
            if let store, tier == .local, let newest = try await store.manifests(dataset: dataset).last { protected.insert(newest.guid) }
            result.append((tier == .local ? dataset : replica, Self.doomed(pruned, keep: keep, prefix: prefix, protected: protected)))
        }
        return result
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            let doomed = try await plan(call, host: host, context: context).flatMap { name, snaps in snaps.map { "\(name)@\($0.name)" } }
            return doomed.isEmpty ? .satisfied("no snapshot beyond the ones kept") : .wouldChange("destroy \(doomed.joined(separator: ", "))")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var destroyed: [Value] = []
            for (dataset, doomed) in try await plan(call, host: host, context: context) {
                for snapshot in doomed {
                    let full = "\(dataset)@\(snapshot.name)"
                    context.report("destroying \(full)")
                    let result = try await host.attempt(["zfs", "destroy", full])
                    if result.exitStatus != 0 && !ZFSHost.saysMissing(result.stderr) { throw host.failure(result, "destroying \(full)") }
                    destroyed.append(.string(full))
                }
            }
            return ["destroyed": .list(destroyed)]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = ZFSInputs.problems(inputs, allowPool: false)
        if case .int(let keep)? = inputs["keep"], keep < 1 {
            problems.append(InputProblem(input: "keep", "'keep' must be at least 1: the newest snapshot is always kept"))
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let tier = inputs["tier"]?.text ?? "local"
        return
            "destroy \(inputs["prefix"]?.text ?? "homelab-")* snapshots of the \(tier == "replica" ? "replicas" : "datasets") beyond the newest \(inputs["keep"]?.text ?? "?"), "
            + "never the newest, nor the newest shared with the replica or uploaded to the cloud (DESTRUCTIVE)"
    }
}
