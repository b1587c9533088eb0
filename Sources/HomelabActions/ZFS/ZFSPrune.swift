import HomelabCore

/// `zfs.prune`: destroys homelab's own snapshots (named with the prefix) beyond the `keep` newest
/// (and those younger than `max-age`), on the datasets or on their replicas. Never the newest
/// snapshot, never the newest one shared with the replica, never the newest one in the cloud:
/// each is the base the next incremental needs, and losing it would force a full copy. With tier
/// `cloud` it deletes uploaded streams instead, chain by chain (ZFSPrune+Cloud.swift).
public struct ZFSPrune: Action {
    private let sessions: ZFSSessions
    let backups: any BackupStoreOpening

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
        backups = transport.backups
    }

    public enum Tier: String, CaseIterable { case local, replica, cloud }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.prune",
            summary:
                "Destroy homelab's snapshots beyond the newest 'keep' (in the cloud: whole chains of streams), sparing the bases of the replica's and the cloud's next incremental.",
            inputs: SSHTarget.inputs + [
                ZFSInputs.datasets,
                InputSpec("keep", .integer, required: true, "How many of homelab's newest snapshots to keep (storage/policy.yaml tags.TAG.TIER.keep)."),
                InputSpec(
                    "tier", .string, default: .string("local"), allowed: Tier.allCases.map(\.rawValue),
                    "local prunes the datasets themselves, replica their copies on the replica pool, cloud the streams uploaded to the bucket (with 'cloud' and its secrets; the host is not contacted)."
                ),
                InputSpec(
                    "max-age", .duration,
                    "Also keep every snapshot younger than this (storage/policy.yaml tags.TAG.TIER.max-age). In the cloud, every stream a kept one is built on is kept too."
                ),
                ZFSInputs.replicaPool, ZFSInputs.prefix,
            ] + ZFSInputs.cloud + [ZFSInputs.timeout],
            outputs: [
                OutputSpec("destroyed", "The snapshots destroyed (deleted from the bucket for the cloud tier), as dataset@name."),
                OutputSpec("count", "How many snapshots were destroyed."),
                OutputSpec("bytes", "Cloud tier: the bytes of send stream deleted (0 for the local and replica tiers)."),
            ],
            idempotent: true,
            destructive: .always(reason: "destroys snapshots")
        )
    }

    /// The snapshots to destroy, oldest first: prefixed ones beyond `keep`, minus `protected`
    /// guids, those created after `youngerThan` (epoch seconds) and the newest snapshot.
    static func doomed(_ snapshots: [SnapshotEntry], keep: Int, prefix: String, protected: Set<String>, youngerThan: Int64? = nil) -> [SnapshotEntry] {
        let ours = snapshots.filter { $0.name.hasPrefix(prefix) }
        var spared = Set(ours.suffix(max(0, keep)).map(\.guid)).union(protected).union(snapshots.last.map { [$0.guid] } ?? [])
        if let youngerThan { spared.formUnion(ours.filter { $0.creation > youngerThan }.map(\.guid)) }
        return ours.filter { !spared.contains($0.guid) }
    }

    /// `keep` and `max-age` as given; `keep` of at least 1.
    static func retention(_ call: ActionCall) throws -> (keep: Int, maxAge: Duration?) {
        guard case .int(let keep)? = call.inputs["keep"], keep >= 1 else { throw ActionError("'keep' must be at least 1") }
        return (keep, try call.duration("max-age"))
    }

    private func plan(_ call: ActionCall, host: ZFSHost, context: any ActionContext) async throws -> [(String, [SnapshotEntry])] {
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let pool = try ZFSInputs.replicaPool(call)
        let tier = Tier(rawValue: call.string("tier") ?? "local") ?? .local
        let (keep, maxAge) = try Self.retention(call)
        let cutoff = maxAge.map { Int64(context.clock.now.timeIntervalSince1970) - $0.components.seconds }
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
            result.append((tier == .local ? dataset : replica, Self.doomed(pruned, keep: keep, prefix: prefix, protected: protected, youngerThan: cutoff)))
        }
        return result
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        if call.string("tier") == Tier.cloud.rawValue { return try await probeCloud(call, context: context) }
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            let doomed = try await plan(call, host: host, context: context).flatMap { name, snaps in snaps.map { "\(name)@\($0.name)" } }
            return doomed.isEmpty ? .satisfied("no snapshot beyond the ones kept") : .wouldChange("destroy \(doomed.joined(separator: ", "))")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        if call.string("tier") == Tier.cloud.rawValue { return try await runCloud(call, context: context) }
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
            return ["destroyed": .list(destroyed), "count": .int(destroyed.count), "bytes": .int(0)]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = ZFSInputs.problems(inputs, allowPool: false)
        if case .int(let keep)? = inputs["keep"], keep < 1 {
            problems.append(InputProblem(input: "keep", "'keep' must be at least 1: the newest snapshot is always kept"))
        }
        if inputs["tier"]?.text == Tier.cloud.rawValue, inputs["cloud"] == nil {
            problems.append(InputProblem(input: "cloud", "tier cloud needs 'cloud' (storage/policy.yaml tiers.cloud) and its secrets"))
        }
        if let text = inputs["max-age"]?.text, !text.contains("${"), DurationText.parse(text) == nil {
            problems.append(InputProblem(input: "max-age", "'max-age' must be a duration such as 1d or 12h, found '\(text)'"))
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let tier = inputs["tier"]?.text ?? "local"
        let young = inputs["max-age"].map { " and those younger than \($0.text)" } ?? ""
        if tier == Tier.cloud.rawValue {
            return "delete uploaded streams from the cloud tier beyond the newest \(inputs["keep"]?.text ?? "?")\(young), keeping every stream a kept one "
                + "is built on; whole chains, newest first, each manifest before its stream; never the newest (DESTRUCTIVE)"
        }
        return
            "destroy \(inputs["prefix"]?.text ?? "homelab-")* snapshots of the \(tier == "replica" ? "replicas" : "datasets") beyond the newest \(inputs["keep"]?.text ?? "?")\(young), "
            + "never the newest, nor the newest shared with the replica or uploaded to the cloud (DESTRUCTIVE)"
    }
}
