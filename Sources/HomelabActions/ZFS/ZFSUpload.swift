import HomelabCore

/// `zfs.upload`: sends each dataset's newest snapshot to the cloud tier, streamed through
/// homelab into the BackupStore (which encrypts and authenticates it in chunks): incremental from
/// the newest snapshot the cloud already holds, full when it holds none. Only what the cloud does
/// not have yet is sent; nothing is staged on disk. Once the chain it would extend holds
/// `full-every` incrementals (or is broken), the upload is a full stream again: a new chain, so
/// that retention (`zfs.prune` with tier cloud) can drop the old one whole.
public struct ZFSUpload: Action {
    private let sessions: ZFSSessions
    private let backups: any BackupStoreOpening

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
        backups = transport.backups
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.upload",
            summary: "Upload datasets' newest snapshots to the cloud tier as encrypted send streams (incremental from the newest uploaded).",
            inputs: SSHTarget.inputs + [ZFSInputs.datasets] + ZFSInputs.cloud + [
                InputSpec(
                    "full-every", .integer, default: .int(CloudTier.defaultFullEvery),
                    "Incremental streams after a full one before the next upload is a full stream again, starting a new chain (storage/policy.yaml tiers.cloud.full-every)."
                ),
                ZFSInputs.timeout,
            ],
            outputs: [
                OutputSpec(
                    "uploaded",
                    "Per dataset: dataset, snapshot, base (empty for a full stream), mode (full, incremental, up-to-date), chain (incrementals since the full), bytes."
                ),
                OutputSpec("bytes", "Bytes of send stream uploaded in all."),
            ],
            idempotent: true
        )
    }

    /// What one dataset needs: nothing, or a stream of `snapshot` (from `base` when given).
    struct Plan: Equatable {
        var snapshot: SnapshotEntry
        var base: SnapshotEntry?
        var upToDate: Bool
        /// Incrementals between the full stream and `snapshot` once uploaded (0 for a full).
        var chain: Int = 0
        /// Why a full stream is sent although an uploaded base exists.
        var rebased: String?
    }

    /// Incremental from the newest uploaded snapshot the host still holds (by guid), unless that
    /// base's chain already holds `fullEvery` incrementals or does not reach a full stream: then
    /// a full stream, the first of a new chain.
    static func plan(local: [SnapshotEntry], uploaded: [BackupManifest], fullEvery: Int = CloudTier.defaultFullEvery) -> Plan? {
        guard let last = local.last else { return nil }
        let chains = BackupChains(uploaded)
        guard let manifest = uploaded.last(where: { local.withGuid($0.guid) != nil }), let base = local.withGuid(manifest.guid) else {
            return Plan(snapshot: last, base: nil, upToDate: false)
        }
        let length = chains.incrementals(upTo: manifest)
        if base.guid == last.guid { return Plan(snapshot: last, base: base, upToDate: true, chain: length ?? 0) }
        guard let length else {
            return Plan(snapshot: last, base: nil, upToDate: false, rebased: "the chain of @\(base.name) does not reach a full stream")
        }
        if length + 1 > max(1, fullEvery) {
            let reason = "the chain of @\(base.name) holds \(length) incrementals (full-every: \(fullEvery))"
            return Plan(snapshot: last, base: nil, upToDate: false, rebased: reason)
        }
        return Plan(snapshot: last, base: base, upToDate: false, chain: length + 1)
    }

    private func cloud(_ call: ActionCall) throws -> CloudTarget {
        guard let cloud = try ZFSInputs.cloud(call) else { throw ActionError("'cloud' is required: the cloud tier's endpoint, region, bucket and prefix") }
        return cloud
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let store = try await backups.open(try cloud(call), context: context)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var work: [String] = []
            for dataset in datasets {
                let plan = try await plan(dataset, call: call, host: host, store: store)
                if plan.upToDate { continue }
                work.append("upload \(dataset)@\(plan.snapshot.name)" + (plan.base.map { " from @\($0.name)" } ?? Self.fullNote(plan)))
            }
            return work.isEmpty ? .satisfied("the cloud holds every dataset's newest snapshot") : .wouldChange(work.joined(separator: "; "))
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let store = try await backups.open(try cloud(call), context: context)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var results: [Value] = []
            var total: Int64 = 0
            for dataset in datasets {
                let plan = try await plan(dataset, call: call, host: host, store: store)
                var bytes: Int64 = 0
                if plan.upToDate {
                    context.report("the cloud holds \(dataset)@\(plan.snapshot.name) already")
                } else {
                    bytes = try await upload(dataset, plan, host: host, store: store)
                }
                total += bytes
                results.append(
                    .map([
                        ("dataset", .string(dataset)), ("snapshot", .string(plan.snapshot.name)), ("base", .string(plan.base?.name ?? "")),
                        ("mode", .string(plan.upToDate ? "up-to-date" : plan.base == nil ? "full" : "incremental")), ("chain", .int(plan.chain)),
                        ("bytes", .int(Int(bytes))),
                    ]))
            }
            return ["uploaded": .list(results), "bytes": .int(Int(total))]
        }
    }

    /// How a full stream is announced: why, when it starts a new chain on purpose.
    static func fullNote(_ plan: Plan) -> String {
        plan.rebased.map { " (full, a new chain: \($0))" } ?? " (full)"
    }

    private func plan(_ dataset: String, call: ActionCall, host: ZFSHost, store: any BackupStore) async throws -> Plan {
        guard let local = try await host.snapshots(of: dataset) else { throw ZFSError.datasetMissing(host: host.name, dataset: dataset) }
        guard case .int(let fullEvery)? = call.inputs["full-every"], fullEvery >= 1 else {
            throw ActionError("'full-every' must be a whole number of at least 1 (incrementals between two full streams)")
        }
        guard let plan = Self.plan(local: local, uploaded: try await store.manifests(dataset: dataset), fullEvery: fullEvery) else {
            throw ZFSError.notRestorable(host: host.name, dataset: dataset, reason: "it has no snapshot to upload; run zfs.snapshot first")
        }
        return plan
    }

    /// The send stream, piped through a bounded channel into the store: the store reads it as it
    /// comes, a slow upload holds `zfs send` back. The store writes the manifest only after the
    /// stream ended well, which it does only once the send's exit status is known to be 0.
    private func upload(_ dataset: String, _ plan: Plan, host: ZFSHost, store: any BackupStore) async throws -> Int64 {
        let snapshot = plan.snapshot
        let arguments = (plan.base.map { ["-i", "@\($0.name)"] } ?? []) + ["\(dataset)@\(snapshot.name)"]
        let expected = try await host.estimate(arguments, snapshot: "\(dataset)@\(snapshot.name)", incremental: plan.base != nil)
        let progress = StreamProgress("\(dataset)@\(snapshot.name) → cloud", expected: expected, context: host.context)
        host.context.report("uploading \(dataset)@\(snapshot.name)" + (plan.base.map { " (incremental from @\($0.name))" } ?? Self.fullNote(plan)))
        let described = BackupSnapshot(
            dataset: dataset, snapshot: snapshot.name, guid: snapshot.guid, baseSnapshot: plan.base?.name, baseGuid: plan.base?.guid,
            created: snapshot.creation)
        let channel = ByteChannel()
        let manifest: BackupManifest = try await withThrowingTaskGroup(of: BackupManifest?.self) { group in
            group.addTask { try await store.upload(channel.stream, of: described, progress: { _ in }) }
            group.addTask {
                do {
                    try await host.sendStream(arguments, progress: progress) { chunk in try await channel.send(chunk) }
                    channel.finish()
                } catch {
                    channel.finish(throwing: error)
                    throw error
                }
                return nil
            }
            var manifest: BackupManifest?
            do {
                for try await result in group where result != nil { manifest = result }
            } catch {
                channel.abandon()
                group.cancelAll()
                throw error
            }
            guard let manifest else { throw ActionError("the cloud store returned no manifest for \(dataset)@\(snapshot.name)") }
            return manifest
        }
        guard manifest.guid == snapshot.guid else {
            throw ZFSError.verification(host: host.name, dataset: "\(dataset)@\(snapshot.name) in the cloud", expected: snapshot.guid, found: manifest.guid)
        }
        return manifest.size
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = ZFSInputs.problems(inputs, allowPool: false)
        if case .int(let count)? = inputs["full-every"], count < 1 {
            problems.append(InputProblem(input: "full-every", "'full-every' must be at least 1 (incrementals between two full streams)"))
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "stream each dataset's newest snapshot through homelab into the cloud tier (encrypted), incremental from the newest one uploaded, "
            + "a full stream (a new chain) after \(inputs["full-every"]?.text ?? String(CloudTier.defaultFullEvery)) incrementals; nothing when it is there"
    }
}
