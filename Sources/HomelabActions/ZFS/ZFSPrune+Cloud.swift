import HomelabCore

/// `zfs.prune` with tier `cloud`: retention of the bucket. A stream is useless without its chain
/// back to its full stream, so what is kept is the `keep` newest, those younger than `max-age`,
/// and every ancestor they need; what is dropped goes whole chains at a time, because
/// `zfs.upload` starts a new chain every `full-every` incrementals. Every uploaded stream counts
/// whatever its snapshot's name (homelab uploaded them all); the host is not contacted.
extension ZFSPrune {
    /// One dataset's retention in the bucket: what stays, what goes (in deletion order), or why
    /// nothing may go.
    struct CloudPlan {
        var dataset: String
        var kept: [BackupManifest]
        var dropped: [BackupManifest]
        var spared: String?
        /// Stream objects without a manifest, old enough that no upload is still writing it.
        var strays: [BackupStray] = []
    }

    /// How old a stream without a manifest must be before it is deleted: an upload writes its
    /// manifest right after its stream, so a younger one may be an upload in progress.
    static let strayGrace: Int64 = 86_400

    /// The strays to delete: older than the grace by the bucket's clock (unknown age: kept).
    static func oldStrays(_ strays: [BackupStray], now: Int64) -> [BackupStray] {
        strays.filter { stray in stray.modified.map { Int64($0.timeIntervalSince1970) < now - strayGrace } ?? false }
    }

    /// Drops nothing when a kept snapshot's chain does not reach a full stream: an older, whole
    /// chain may then be the only copy a restore can use. The next upload starts a new chain
    /// (`zfs.upload` re-bases on a broken one), after which the broken one can go.
    static func cloudPlan(_ dataset: String, manifests: [BackupManifest], keep: Int, maxAge: Duration?, now: Int64) -> CloudPlan {
        let chains = BackupChains(manifests)
        let (kept, dropped) = chains.retention(keep: keep, maxAge: maxAge, now: now)
        if let broken = kept.first(where: { chains.incrementals(upTo: $0) == nil }) {
            return CloudPlan(
                dataset: dataset, kept: manifests, dropped: [],
                spared: "the chain of \(dataset)@\(broken.snapshot) does not reach a full stream; nothing is deleted until a new chain is uploaded")
        }
        // Retention keeps the newest by construction; this says so where it matters most.
        guard let newest = manifests.last, !dropped.contains(where: { $0.guid == newest.guid }) else {
            return CloudPlan(dataset: dataset, kept: manifests, dropped: [], spared: "internal error: the newest snapshot would be dropped")
        }
        return CloudPlan(dataset: dataset, kept: kept, dropped: dropped, spared: nil)
    }

    private func cloudPlans(_ call: ActionCall, context: any ActionContext) async throws -> (any BackupStore, [CloudPlan]) {
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let (keep, maxAge) = try Self.retention(call)
        guard let store = try await ZFSInputs.openStore(call, backups: backups, context: context) else {
            throw ActionError("tier cloud needs 'cloud' (storage/policy.yaml tiers.cloud) and its secrets")
        }
        let now = Int64(context.clock.now.timeIntervalSince1970)
        var plans: [CloudPlan] = []
        for dataset in datasets {
            var plan = Self.cloudPlan(dataset, manifests: try await store.manifests(dataset: dataset), keep: keep, maxAge: maxAge, now: now)
            if let spared = plan.spared {
                context.report(spared)
            } else {
                let strays = try await store.strays(dataset: dataset)
                plan.strays = Self.oldStrays(strays, now: now)
                if strays.count > plan.strays.count {
                    let young = strays.count - plan.strays.count
                    context.report("\(young) stream(s) of \(dataset) without a manifest are kept: not known to be a day old, an upload may be writing it")
                }
            }
            plans.append(plan)
        }
        return (store, plans)
    }

    func probeCloud(_ call: ActionCall, context: any ActionContext) async throws -> ProbeResult {
        let (_, plans) = try await cloudPlans(call, context: context)
        let dropped = plans.flatMap(\.dropped)
        let strays = plans.flatMap { plan in plan.strays.map { (plan.dataset, $0) } }
        guard !dropped.isEmpty || !strays.isEmpty else { return .satisfied("the cloud holds no stream beyond the ones kept") }
        let bytes = dropped.reduce(Int64(0)) { $0 + $1.size } + strays.reduce(Int64(0)) { $0 + $1.1.size }
        let names = dropped.map { "\($0.dataset)@\($0.snapshot)" } + strays.map { "\($0.0)@\($0.1.snapshot) (a stream without manifest)" }
        return .wouldChange(
            "delete from the cloud \(names.joined(separator: ", ")) (\(dropped.count + strays.count) stream(s), \(StreamProgress.size(bytes)))")
    }

    /// Deletes in the plan's order, one snapshot at a time (manifest, then stream): killed at
    /// any point, the bucket still holds whole chains, and a re-run finishes the job.
    func runCloud(_ call: ActionCall, context: any ActionContext) async throws -> [String: Value] {
        let (store, plans) = try await cloudPlans(call, context: context)
        var destroyed: [Value] = []
        var bytes: Int64 = 0
        for plan in plans {
            for manifest in plan.dropped {
                context.report("deleting \(manifest.dataset)@\(manifest.snapshot) from the cloud (\(StreamProgress.size(manifest.size)))")
                try await store.delete(manifest)
                destroyed.append(.string("\(manifest.dataset)@\(manifest.snapshot)"))
                bytes += manifest.size
            }
            for stray in plan.strays {
                context.report("deleting \(stray.object) from the cloud: no manifest names it (\(StreamProgress.size(stray.size)))")
                try await store.delete(stray: stray)
                destroyed.append(.string("\(plan.dataset)@\(stray.snapshot)"))
                bytes += stray.size
            }
            context.report("the cloud keeps \(plan.kept.count) snapshot(s) of \(plan.dataset)")
        }
        return ["destroyed": .list(destroyed), "count": .int(destroyed.count), "bytes": .int(Int(bytes))]
    }
}
